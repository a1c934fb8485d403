import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, mockCore } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import type { Message } from "../../../ipc";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";
import { showConversation } from "../../../test/chat";

const conv = conversation({ id: "c1", title: "Long" });

/** `count` messages ending at seq `last`, alternating user and assistant. */
function messages(count: number, last = count): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = last - count + i + 1;
    return message({
      conversationId: "c1",
      id: `m${seq}`,
      seq,
      role: seq % 2 === 1 ? "user" : "assistant",
      content: `text ${seq}`,
    });
  });
}

/** jsdom keeps no scroll position: give the transcript one, then scroll it. */
function scrollTranscript(top: number, height = 100_000) {
  const el = screen.getByTestId("transcript");
  Object.defineProperty(el, "scrollHeight", { configurable: true, value: height });
  Object.defineProperty(el, "scrollTop", { configurable: true, writable: true, value: top });
  fireEvent.scroll(el);
}

describe("MessageList", () => {
  it("draws only the rows in view of a 10,000-message conversation", () => {
    showConversation(conv, messages(10_000));
    render(<ChatPane />);
    const drawn = screen.getAllByTestId("message").length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(40);
    expect(screen.getByTestId("transcript")).toHaveAccessibleName("Messages");
  });

  it("loads the page before the oldest message when scrolled to the top", async () => {
    const core = mockCore({
      listMessages: () => ({ messages: messages(200, 800), hasMore: true }),
    });
    showConversation(conv, messages(200, 1000), true);
    render(<ChatPane />);
    act(() => scrollTranscript(0));
    await screen.findByTestId("jump-to-latest");
    await act(async () => {});
    expect(core.calls).toEqual([
      { cmd: "list_messages", args: { conversationId: "c1", beforeId: "m801", limit: 200 } },
    ]);
    const shown = useChatStore.getState().detail?.messages ?? [];
    expect(shown).toHaveLength(400);
    expect(shown[0]?.seq).toBe(601);
    expect(shown.at(-1)?.seq).toBe(1000);
    expect(useChatStore.getState().detail?.hasMore).toBe(true);
  });

  it("offers to retry when older messages fail to load", async () => {
    mockCore({ listMessages: () => appError("database") });
    showConversation(conv, messages(200, 1000), true);
    render(<ChatPane />);
    act(() => scrollTranscript(0));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Earlier messages could not be loaded.",
    );
    expect(useChatStore.getState().detail?.messages).toHaveLength(200);
  });

  it("shows “jump to latest” when scrolled up, and goes back to the end with it", async () => {
    showConversation(conv, messages(50));
    render(<ChatPane />);
    expect(screen.queryByTestId("jump-to-latest")).not.toBeInTheDocument();
    act(() => scrollTranscript(2000, 10_000));
    const jump = await screen.findByRole("button", { name: /Jump to latest/ });
    await userEvent.setup().click(jump);
    expect(screen.getByTestId("transcript").scrollTop).toBe(10_000);
    expect(screen.queryByTestId("jump-to-latest")).not.toBeInTheDocument();
  });

  it("keeps the older pages when the latest page is re-read after a reply", async () => {
    const older = messages(200, 800);
    const latest = messages(200, 1002);
    mockCore({
      getConversation: () => ({ conversation: conv, messages: latest, hasMore: true }),
      // The reply has just ended: the core no longer streams it, and it is stored.
      attachStream: () => appError("not_found"),
      listConversations: () => [conv],
    });
    showConversation(conv, [...older, ...messages(200, 1000)], true);
    await act(() =>
      useChatStore.getState().attach({
        streamId: "s1",
        conversationId: "c1",
        startedAt: 0,
        receivedBytes: 0,
      }),
    );
    await waitFor(() => expect(useChatStore.getState().detail?.messages.at(-1)?.seq).toBe(1002));
    const shown = useChatStore.getState().detail?.messages ?? [];
    expect(shown[0]?.seq).toBe(601);
    expect(shown).toHaveLength(402);
    expect(new Set(shown.map((m) => m.seq)).size).toBe(shown.length);
  });
});
