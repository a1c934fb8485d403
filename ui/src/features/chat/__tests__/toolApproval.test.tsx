import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ToolStatus } from "../../../ipc";
import { appError, type Handlers } from "../../../test/core";
import { conversation } from "../../../test/fixtures";
import { startReply as startChatReply } from "../../../test/chat";

const conv = conversation({ id: "c1", title: "Tides" });

const call = (callId: string, status: ToolStatus, name = "fetch_page"): ChatEvent => ({
  event: "toolCall",
  data: { callId, name, server: "Web tools", arguments: '{"url":"https://t.example"}', status },
});

/** A reply in c1 that has begun; `handlers` answer the other commands. */
async function startReply(handlers: Handlers = {}) {
  const reply = await startChatReply(conv, {
    answerToolCall: () => null,
    cancelStream: () => null,
    ...handlers,
  });
  const answers = () =>
    reply.core.calls.filter((c) => c.cmd === "answer_tool_call").map((c) => c.args);
  return { ...reply, answers };
}

describe("the approval card", () => {
  it("shows the call after the text before it, takes the focus, and Enter allows it once", async () => {
    const { emit, user, answers } = await startReply();
    emit({ event: "delta", data: { text: "Let me **look**." } });
    emit(call("c-1", "awaiting_approval"));

    const streaming = screen.getByTestId("streaming-message");
    const before = within(streaming).getByText("look");
    expect(before.tagName).toBe("STRONG");
    // That text is finished: the streaming cursor is not drawn after it.
    expect(before.closest(".markdown")).not.toHaveClass("markdown--streaming");
    const card = within(streaming).getByTestId("tool-approval");
    expect(card).toHaveAccessibleName("Run fetch_page?");
    expect(card).toHaveTextContent("Web tools");
    // The arguments as indented JSON.
    expect(within(card).getByTestId("tool-arguments").textContent).toBe(
      '{\n  "url": "https://t.example"\n}',
    );
    // Waiting for the person: no "thinking" dots beside the card.
    expect(within(streaming).queryByRole("status", { name: "Thinking…" })).toBeNull();
    expect(card).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(answers()).toEqual([{ streamId: "s1", callId: "c-1", decision: "allow" }]);
    // Answered: the buttons wait for the stream, and a second key sends nothing.
    expect(within(card).getByTestId("tool-allow")).toBeDisabled();
    await user.keyboard("{Enter}");
    expect(answers()).toHaveLength(1);

    emit(call("c-1", "running"));
    expect(within(streaming).queryByTestId("tool-approval")).toBeNull();
    expect(within(streaming).getByTestId("tool-step")).toHaveAttribute("data-status", "running");
  });

  it.each([
    ["a", "always_allow"],
    ["D", "deny"],
    ["{Escape}", "deny"],
  ])("%s answers %s, and Esc there does not stop the reply", async (key, decision) => {
    const { core, emit, user, answers } = await startReply();
    emit(call("c-1", "awaiting_approval"));
    await user.keyboard(key);
    expect(answers()).toEqual([{ streamId: "s1", callId: "c-1", decision }]);
    expect(core.calls.some((c) => c.cmd === "cancel_stream")).toBe(false);
  });

  it("the buttons answer too; with two calls waiting, the next takes the focus", async () => {
    const { emit, user, answers } = await startReply();
    emit(call("c-1", "awaiting_approval"));
    emit(call("c-2", "awaiting_approval", "search"));
    const [first, second] = screen.getAllByTestId("tool-approval");
    expect(first).toHaveFocus();

    await user.click(within(first!).getByTestId("tool-deny"));
    emit({
      event: "toolResult",
      data: { callId: "c-1", content: "Denied.", isError: true, durationMs: 0 },
    });
    expect(screen.getAllByTestId("tool-approval")).toHaveLength(1);
    expect(second).toHaveFocus();
    await user.click(within(second!).getByTestId("tool-always-allow"));
    expect(answers()).toEqual([
      { streamId: "s1", callId: "c-1", decision: "deny" },
      { streamId: "s1", callId: "c-2", decision: "always_allow" },
    ]);
  });

  it("an answer the core refuses can be given again; one no longer waited for is dropped", async () => {
    let refusal = "internal";
    const { emit, user, answers } = await startReply({ answerToolCall: () => appError(refusal) });
    emit(call("c-1", "awaiting_approval"));

    await user.keyboard("{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(/.+/);
    expect(screen.getByTestId("tool-allow")).toBeEnabled();

    refusal = "not_found";
    await user.click(screen.getByTestId("tool-deny"));
    expect(answers()).toHaveLength(2);
    expect(screen.getByTestId("tool-allow")).toBeEnabled();
  });

  it("a running tool shows its progress, and its Stop stops the reply", async () => {
    const { core, emit, user } = await startReply();
    emit(call("c-1", "running"));
    emit({
      event: "toolProgress",
      data: { callId: "c-1", progress: 3, total: 10, message: "page 3" },
    });
    const progress = screen.getByTestId("tool-progress");
    expect(within(progress).getByRole("progressbar")).toHaveAttribute("value", "0.3");
    expect(progress).toHaveTextContent("page 3 · 3 of 10");

    // Without a total: the count alone, no bar.
    emit({
      event: "toolProgress",
      data: { callId: "c-1", progress: 7, total: null, message: null },
    });
    expect(within(progress).queryByRole("progressbar")).toBeNull();
    expect(progress).toHaveTextContent("7 so far");

    await user.click(within(progress).getByTestId("tool-stop"));
    expect(core.calls).toContainEqual({ cmd: "cancel_stream", args: { streamId: "s1" } });
  });
});
