import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createElement } from "react";
import { ChatPane } from "../features/chat/components/ChatPane";
import { useChatStore } from "../features/chat/store/chatStore";
import type { ChatEvent, Conversation, Message } from "../ipc";
import { manualStream, mockCore, type Handlers } from "./core";
import { message, startedEvent } from "./fixtures";

/** Leaves the chat store as opening `conversation` would, without asking the core. */
export function showConversation(
  conversation: Conversation,
  messages: Message[] = [],
  hasMore = false,
) {
  useChatStore.setState({
    currentId: conversation.id,
    detail: { conversation, messages, hasMore },
    loadStatus: "ready",
  });
}

/**
 * The chat pane on `conversation` with `text` sent in it and its reply `started` (stream
 * `s1`); `emit` sends the reply's next events as the core would, `handlers` answer the
 * other commands.
 */
export async function startReply(conversation: Conversation, handlers: Handlers = {}, text = "Hi") {
  showConversation(conversation, []);
  const stream = manualStream("s1");
  const core = mockCore({
    sendMessage: stream.handler,
    listConversations: () => [conversation],
    ...handlers,
  });
  const emit = (event: ChatEvent) => act(() => stream.emit(event));
  const user = userEvent.setup();
  render(createElement(ChatPane));
  await user.type(screen.getByTestId("message-input"), `${text}{Enter}`);
  emit(startedEvent(message({ conversationId: conversation.id, role: "user", content: text })));
  return { core, emit, user };
}
