import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { useChatStore } from "../store/chatStore";
import { showConversation } from "../../../test/chat";

describe("the title of a new conversation", () => {
  it("is fetched when its first reply starts, not only when it ends", async () => {
    const untitled = conversation({ id: "c1", title: "" });
    let stored = untitled;
    const stream = manualStream("s1");
    const core = mockCore({
      sendMessage: stream.handler,
      listConversations: () => [stored],
    });
    useConversationsStore.setState({ items: [untitled], status: "ready" });
    showConversation(untitled);

    await useChatStore.getState().send("Where should we go in spring?");
    // The core names the conversation from the first words when it stores the message.
    stored = { ...untitled, title: "Where should we go in spring?" };
    const userMessage = message({ conversationId: "c1", role: "user", content: "Where…" });
    stream.emit(startedEvent(userMessage));

    await waitFor(() =>
      expect(useConversationsStore.getState().items[0]?.title).toBe(
        "Where should we go in spring?",
      ),
    );
    expect(useChatStore.getState().detail?.conversation.title).toBe(
      "Where should we go in spring?",
    );
    expect(core.calls.filter((c) => c.cmd === "list_conversations")).toHaveLength(1);
  });
});
