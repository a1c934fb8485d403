import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockCore } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import { ChatPane } from "../components/ChatPane";
import { showConversation } from "../../../test/chat";

const conv = conversation({ id: "c1", title: "Trip planning" });

describe("replies that did not complete", () => {
  it("offers Retry on the last one, which regenerates it", async () => {
    const question = message({ conversationId: "c1", role: "user", content: "Q" });
    const failed = message({
      conversationId: "c1",
      content: "",
      state: "error",
      meta: { errorCode: "stalled", errorMessage: "no data for 60 s", reason: "stalled" },
    });
    showConversation(conv, [question, failed]);
    const core = mockCore({ regenerate: () => "s4" });
    const user = userEvent.setup();
    render(<ChatPane />);

    const reply = screen.getAllByTestId("message")[1]!;
    expect(reply).toHaveTextContent("Failed");
    expect(reply).toHaveTextContent("The provider stopped sending.");
    expect(reply).toHaveTextContent("no data for 60 s");
    await user.click(within(reply).getByTestId("retry-message"));

    expect(core.calls.map((c) => c.cmd)).toEqual(["regenerate"]);
  });

  it("says when a reply was stopped at the size limit, and offers to continue it", async () => {
    const question = message({ conversationId: "c1", role: "user", content: "Everything" });
    const partial = message({
      conversationId: "c1",
      content: "A very long answer",
      state: "partial",
      meta: { reason: "too_long", finishReason: null },
    });
    showConversation(conv, [question, partial]);
    const core = mockCore({ continueReply: () => "s5" });
    const user = userEvent.setup();
    render(<ChatPane />);

    const reply = screen.getAllByTestId("message")[1]!;
    expect(reply).toHaveTextContent("Incomplete");
    expect(reply).toHaveTextContent(
      "The reply was stopped: it reached the size limit (Settings → Chat).",
    );
    await user.click(within(reply).getByTestId("continue-message"));
    expect(core.calls.map((c) => c.cmd)).toEqual(["continue_reply"]);
  });

  it("says when the app was closed while the reply was being written", () => {
    const partial = message({
      conversationId: "c1",
      content: "Half of it",
      state: "partial",
      meta: { reason: "app_exit" },
    });
    const newer = message({ conversationId: "c1", role: "user", content: "Next" });
    showConversation(conv, [partial, newer]);
    render(<ChatPane />);

    const reply = screen.getAllByTestId("message")[0]!;
    expect(reply).toHaveTextContent("Incomplete");
    expect(reply).toHaveTextContent("Confab was closed while this reply was being written");
    // Only the last reply can be regenerated.
    expect(within(reply).queryByTestId("retry-message")).not.toBeInTheDocument();
  });
});

describe("message actions and info", () => {
  it("copies any message and shows how a reply was produced", async () => {
    const question = message({ conversationId: "c1", role: "user", content: "Q?" });
    const answer = message({
      conversationId: "c1",
      content: "**A.**",
      createdAt: Date.UTC(2025, 0, 2, 9, 31),
      meta: {
        model: "gpt-4o-mini",
        promptTokens: 1200,
        completionTokens: 348,
        firstTokenMs: 420,
        totalMs: 6100,
      },
    });
    showConversation(conv, [question, answer]);
    const user = userEvent.setup();
    render(<ChatPane />);

    const [q, a] = screen.getAllByTestId("message");
    const info = within(a!).getByTestId("message-info");
    expect(info).toHaveTextContent("gpt-4o-mini");
    expect(info).toHaveTextContent("1,548 tokens (1,200 in, 348 out)");
    expect(info).toHaveTextContent("first token 420 ms");
    expect(info).toHaveTextContent("total 6.1 s");
    expect(info).toHaveTextContent("2025");

    await user.click(within(a!).getByTestId("copy-message"));
    await expect(navigator.clipboard.readText()).resolves.toBe("**A.**");
    await user.click(within(q!).getByTestId("copy-message"));
    await expect(navigator.clipboard.readText()).resolves.toBe("Q?");
    await waitFor(() =>
      expect(within(q!).getByTestId("copy-message")).toHaveAccessibleName("Copied"),
    );
  });
});
