/** Conversations: the list, titles, pins, the archive, search, and one conversation's messages. */
import { commands } from "../bindings";
import type { Conversation, ConversationDetail, MessagePage, SearchHit } from "../bindings";
import { call } from "./call";

export function createConversation(title: string | null = null): Promise<Conversation> {
  return call(() => commands.createConversation(title));
}

/** A page of conversations, pinned first then newest; the archive when `archived`. */
export function listConversations(
  limit: number,
  offset = 0,
  filter: { agentId?: string | null; archived?: boolean } = {},
): Promise<Conversation[]> {
  return call(() =>
    commands.listConversations({
      limit,
      offset,
      agentId: filter.agentId ?? null,
      archived: filter.archived ?? false,
    }),
  );
}

/** An empty title is `invalid_input`. */
export function renameConversation(id: string, title: string): Promise<Conversation> {
  return call(() => commands.renameConversation(id, title));
}

export function setConversationPinned(id: string, pinned: boolean): Promise<Conversation> {
  return call(() => commands.setConversationPinned(id, pinned));
}

/** Offers the agent's tools in this conversation or not (from its next reply on). */
export function setConversationTools(id: string, enabled: boolean): Promise<Conversation> {
  return call(() => commands.setConversationTools(id, enabled));
}

export function setConversationArchived(id: string, archived: boolean): Promise<Conversation> {
  return call(() => commands.setConversationArchived(id, archived));
}

/** Full-text search over titles and messages, best matches first. */
export function search(query: string, limit: number): Promise<SearchHit[]> {
  return call(() => commands.search(query, limit));
}

export function getConversation(id: string): Promise<ConversationDetail> {
  return call(() => commands.getConversation(id));
}

/** The (at most `limit`) messages of the branch shown just before `beforeId`, oldest first. */
export function listMessages(
  conversationId: string,
  beforeId: string,
  limit: number,
): Promise<MessagePage> {
  return call(() => commands.listMessages(conversationId, beforeId, limit));
}

/** Shows another version of a message (`step` 1: the next, -1: the one before). */
export function switchVersion(messageId: string, step: number): Promise<ConversationDetail> {
  return call(() => commands.switchVersion(messageId, step));
}

/** A new conversation with the history up to a message (agent and context settings kept). */
export function branchConversation(messageId: string, title: string | null): Promise<Conversation> {
  return call(() => commands.branchConversation(messageId, title));
}

/** Shows the branch through a message (a search hit in a branch not shown). */
export function showMessage(messageId: string): Promise<ConversationDetail> {
  return call(() => commands.showMessage(messageId));
}

export async function deleteConversation(id: string): Promise<void> {
  await call(() => commands.deleteConversation(id));
}
