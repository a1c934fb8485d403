import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockCore } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import { showConversation, startReply as startChatReply } from "../../../test/chat";
import { ChatPane } from "../components/ChatPane";
import { newStream, streamStep } from "../store/streamMachine";

const conv = conversation({ id: "c1", title: "Thinking" });

const startReply = () => startChatReply(conv, {}, "Why?");

describe("a reasoning model's thinking", () => {
  it("streams into an open block, which closes when the answer starts", async () => {
    const { emit, user } = await startReply();
    emit({ event: "reasoning", data: { text: "The user asks why. " } });
    emit({ event: "reasoning", data: { text: "Think it through." } });

    const streaming = screen.getByTestId("streaming-message");
    const block = within(streaming).getByTestId("thinking");
    expect(within(block).getByTestId("thinking-toggle")).toHaveTextContent("Thinking…");
    expect(within(block).getByTestId("thinking-text")).toHaveTextContent(
      "The user asks why. Think it through.",
    );

    emit({ event: "delta", data: { text: "Because." } });
    expect(within(streaming).queryByTestId("thinking-text")).toBeNull();
    expect(within(streaming).getByTestId("thinking-toggle")).toHaveAttribute(
      "aria-expanded",
      "false",
    );
    // Opened by hand, it stays open.
    await user.click(within(streaming).getByTestId("thinking-toggle"));
    expect(within(streaming).getByTestId("thinking-text")).toBeInTheDocument();
  });

  it("a stored reply shows its thinking closed, with how long it took", async () => {
    const stored = message({
      conversationId: "c1",
      content: "Because.",
      parts: [
        { type: "reasoning", text: "Think it through.", durationMs: 12_000 },
        { type: "text", text: "Because." },
      ],
      meta: {
        firstReasoningMs: 400,
        firstTokenMs: 12_400,
        reasoningTokens: 30,
        cost: { amount: 0.0123, currency: "USD" },
      },
    });
    showConversation(conv, [stored]);
    mockCore({});
    const user = userEvent.setup();
    render(<ChatPane />);

    const toggle = screen.getByTestId("thinking-toggle");
    expect(toggle).toHaveTextContent("Thought for 12 s");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.getByTestId("message-info")).toHaveTextContent("first thought 400 ms");
    expect(screen.getByTestId("message-info")).toHaveTextContent("30 thinking");
    expect(screen.getByTestId("message-info")).toHaveTextContent("$0.0123");
    expect(screen.getByTestId("message-info")).toHaveTextContent("first token 12.4 s");
    await user.click(toggle);
    expect(screen.getByTestId("thinking-text")).toHaveTextContent("Think it through.");
    // The answer is the text part only.
    expect(screen.getByTestId("message").querySelector(".markdown")).toHaveTextContent(
      /^Because\.$/,
    );
  });

  it("a reply of only whitespace so far still shows that it is being written", async () => {
    const { emit } = await startReply();
    emit({ event: "delta", data: { text: "\n".repeat(755) } });
    const streaming = screen.getByTestId("streaming-message");
    expect(within(streaming).getByRole("status", { name: "Thinking…" })).toBeInTheDocument();
  });

  it("the stream keeps reasoning apart from the text, and when each began", () => {
    let stream = newStream(1, "c1", { origin: "send" });
    stream = streamStep(stream, { event: "reasoning", data: { text: "a" } }, 1_000).stream!;
    stream = streamStep(stream, { event: "reasoning", data: { text: "b" } }, 2_000).stream!;
    stream = streamStep(stream, { event: "delta", data: { text: "x" } }, 5_000).stream!;
    expect(stream).toMatchObject({
      reasoning: "ab",
      text: "x",
      reasoningSince: 1_000,
      answerSince: 5_000,
    });
    const attached = streamStep(
      newStream(2, "c1", { origin: "attach" }),
      {
        event: "snapshot",
        data: {
          streamId: "s",
          conversationId: "c1",
          text: "so far",
          reasoning: "thought",
          steps: [],
          awaitingApproval: [],
        },
      },
      0,
    ).stream!;
    expect(attached).toMatchObject({ text: "so far", reasoning: "thought" });
  });
});
