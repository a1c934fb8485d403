import { describe, expect, it } from "vitest";
import { waitFor } from "@testing-library/react";
import { appError, channelSender, manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import type { ChatEvent } from "../../../ipc";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { selectCurrentStream, useChatStore } from "../store/chatStore";
import { showConversation } from "../../../test/chat";

/** A core whose `send_message` hands the channel to the test, to emit events step by step. */
function coreWithManualStream(extra: Parameters<typeof mockCore>[0] = {}) {
  let send: ((e: ChatEvent) => void) | null = null;
  const core = mockCore({
    sendMessage: (_conversationId, _text, _attachments, onEvent) => {
      send = channelSender(onEvent).send;
      return "stream-1";
    },
    listConversations: () => [],
    ...extra,
  });
  return {
    core,
    emit: (event: ChatEvent) => {
      if (!send) throw new Error("send_message was not called");
      send(event);
    },
  };
}

describe("chat store", () => {
  const conv = conversation({ id: "c1" });
  const userMessage = message({ conversationId: "c1", role: "user", content: "Hi" });

  it("shows a reply kept in memory once the core finally stores it", async () => {
    showConversation(conv);
    const { emit } = coreWithManualStream({
      getConversation: () => ({ conversation: conv, messages: [userMessage], hasMore: false }),
    });
    await useChatStore.getState().send("Hi");
    emit(startedEvent(userMessage, { streamId: "stream-1" }));
    emit({ event: "delta", data: { text: "Saved later" } });
    emit({
      event: "error",
      data: {
        code: "storage_full",
        message: "disk full. The reply is kept in memory",
        partialSaved: false,
      },
    });
    expect(useChatStore.getState().error?.code).toBe("storage_full");
    expect(selectCurrentStream(useChatStore.getState())).toBeNull();

    const reply = message({ conversationId: "c1", content: "Saved later" });
    emit({ event: "done", data: { message: reply } });
    await waitFor(() =>
      expect(useChatStore.getState().detail?.messages.map((m) => m.content)).toContain(
        "Saved later",
      ),
    );
  });

  it("handles started, delta and done in order", async () => {
    showConversation(conv);
    const { core, emit } = coreWithManualStream();

    await expect(useChatStore.getState().send("  Hi  ")).resolves.toBe(true);
    expect(core.calls[0]).toEqual({
      cmd: "send_message",
      args: expect.objectContaining({ conversationId: "c1", text: "Hi" }) as unknown,
    });
    // Until `started`, the sent text is shown as pending.
    expect(selectCurrentStream(useChatStore.getState())).toMatchObject({
      pendingUserText: "Hi",
      text: "",
    });

    emit(startedEvent(userMessage, { streamId: "stream-1" }));
    let state = useChatStore.getState();
    expect(state.detail?.messages).toEqual([userMessage]);
    expect(selectCurrentStream(state)).toMatchObject({
      streamId: "stream-1",
      pendingUserText: null,
    });

    emit({ event: "delta", data: { text: "Hel" } });
    emit({ event: "delta", data: { text: "lo!" } });
    expect(selectCurrentStream(useChatStore.getState())?.text).toBe("Hello!");

    const reply = message({ conversationId: "c1", content: "Hello!", meta: { model: "m" } });
    emit({ event: "done", data: { message: reply } });
    state = useChatStore.getState();
    expect(selectCurrentStream(state)).toBeNull();
    expect(state.detail?.messages).toEqual([userMessage, reply]);
    // The list is refreshed for the new title and order.
    await waitFor(() =>
      expect(core.calls.filter((c) => c.cmd === "list_conversations")).toHaveLength(1),
    );
  });

  it("on error shows it, ends the stream and reloads the conversation with the saved partial", async () => {
    showConversation(conv);
    const partial = message({
      conversationId: "c1",
      content: "Half a rep",
      state: "partial",
      meta: { errorCode: "network", errorMessage: "connection reset" },
    });
    const { core, emit } = coreWithManualStream({
      getConversation: () => ({
        conversation: conv,
        messages: [userMessage, partial],
        hasMore: false,
      }),
    });

    await useChatStore.getState().send("Hi");
    emit(startedEvent(userMessage, { streamId: "stream-1" }));
    emit({ event: "delta", data: { text: "Half a rep" } });
    emit({
      event: "error",
      data: { code: "network", message: "connection reset", partialSaved: true },
    });

    const state = useChatStore.getState();
    expect(selectCurrentStream(state)).toBeNull();
    expect(state.error).toMatchObject({ code: "network", message: "connection reset" });
    await waitFor(() =>
      expect(useChatStore.getState().detail?.messages).toEqual([userMessage, partial]),
    );
    expect(core.calls.some((c) => c.cmd === "get_conversation" && c.args.id === "c1")).toBe(true);
  });

  it("shows a refused send as an error and sends nothing more", async () => {
    showConversation(conv);
    mockCore({
      sendMessage: () => appError("no_api_key", "no key stored"),
    });

    await expect(useChatStore.getState().send("Hi")).resolves.toBe(false);
    const state = useChatStore.getState();
    expect(state.error?.code).toBe("no_api_key");
    expect(selectCurrentStream(state)).toBeNull();
  });

  it("creates a conversation first when none is open", async () => {
    const created = conversation({ id: "new-1", title: "" });
    const { core } = coreWithManualStream({ createConversation: () => created });

    await useChatStore.getState().send("First words");

    expect(core.calls.map((c) => c.cmd)).toEqual(["create_conversation", "send_message"]);
    expect(useChatStore.getState().currentId).toBe("new-1");
    expect(useConversationsStore.getState().items).toEqual([created]);
  });

  it("keeps a stream's events in its own conversation after switching to another", async () => {
    showConversation(conv);
    const other = conversation({ id: "c2" });
    const { emit } = coreWithManualStream({
      getConversation: () => ({ conversation: other, messages: [], hasMore: false }),
    });

    await useChatStore.getState().send("Hi");
    await useChatStore.getState().open("c2");
    emit(startedEvent(userMessage, { streamId: "stream-1" }));
    emit({ event: "delta", data: { text: "for c1" } });

    const state = useChatStore.getState();
    expect(state.detail?.messages).toEqual([]);
    expect(selectCurrentStream(state)).toBeNull();
    expect(state.streams.c1?.text).toBe("for c1");
  });

  it("sends a stop pressed before the stream id is known as soon as it arrives", async () => {
    showConversation(conv);
    let resolveSend: (id: string) => void = () => {};
    const core = mockCore({
      sendMessage: () => new Promise<string>((resolve) => (resolveSend = resolve)),
      cancelStream: () => null,
    });

    const sending = useChatStore.getState().send("Hi");
    await waitFor(() => expect(core.calls.map((c) => c.cmd)).toContain("send_message"));
    await useChatStore.getState().stop();
    expect(core.calls.map((c) => c.cmd)).not.toContain("cancel_stream");
    expect(selectCurrentStream(useChatStore.getState())?.stopping).toBe(true);

    resolveSend("stream-1");
    await sending;

    await waitFor(() =>
      expect(core.calls).toContainEqual({ cmd: "cancel_stream", args: { streamId: "stream-1" } }),
    );
  });

  it("drops late events of an earlier reply instead of mixing them into the next one", async () => {
    showConversation(conv);
    const first = manualStream("stream-1");
    const second = manualStream("stream-2");
    mockCore({
      sendMessage: first.handler,
      regenerate: second.handler,
      listConversations: () => [conv],
    });

    await useChatStore.getState().send("Hi");
    first.emit(startedEvent(userMessage, { streamId: "stream-1" }));
    const reply = message({ conversationId: "c1", content: "One" });
    first.emit({ event: "done", data: { message: reply } });

    await useChatStore.getState().regenerate();
    first.emit({ event: "delta", data: { text: "stale" } });
    second.emit({ event: "delta", data: { text: "fresh" } });

    expect(useChatStore.getState().streams.c1).toMatchObject({
      streamId: "stream-2",
      origin: "regenerate",
      text: "fresh",
    });
  });

  it("applies a title that arrives after the reply has ended", async () => {
    showConversation(conv);
    useConversationsStore.setState({ items: [conv], status: "ready" });
    const { emit } = coreWithManualStream();

    await useChatStore.getState().send("Hi");
    emit(startedEvent(userMessage, { streamId: "stream-1" }));
    emit({ event: "done", data: { message: message({ conversationId: "c1", content: "Yo" }) } });
    emit({ event: "title", data: { conversationId: "c1", title: "Saying hello" } });

    expect(useConversationsStore.getState().items[0]?.title).toBe("Saying hello");
    expect(useChatStore.getState().detail?.conversation.title).toBe("Saying hello");
  });
});
