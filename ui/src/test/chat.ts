import { useChatStore } from "../features/chat/store/chatStore";
import type { Conversation, Message } from "../ipc";

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
