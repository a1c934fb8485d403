/** Agents: the catalog, agent files, try-outs, and conversations started from an agent. */
import { commands } from "../bindings";
import type { Agent, AgentInput, Conversation, PromptMessage } from "../bindings";
import { call, channelTo } from "./call";
import type { ChatEventHandler } from "./chat";

export function listAgents(): Promise<Agent[]> {
  return call(() => commands.listAgents());
}

export function createAgent(input: AgentInput): Promise<Agent> {
  return call(() => commands.createAgent(input));
}

export function updateAgent(id: string, input: AgentInput): Promise<Agent> {
  return call(() => commands.updateAgent(id, input));
}

export function duplicateAgent(id: string): Promise<Agent> {
  return call(() => commands.duplicateAgent(id));
}

export async function deleteAgent(id: string): Promise<void> {
  await call(() => commands.deleteAgent(id));
}

/** A `confab-agents` JSON document; every agent but the built-in one when `ids` is empty. */
export function exportAgents(ids: string[]): Promise<string> {
  return call(() => commands.exportAgents(ids));
}

/** All of the document or nothing: `invalid_input` lists every problem, one per line. */
export function importAgents(document: string): Promise<Agent[]> {
  return call(() => commands.importAgents(document));
}

/** The agent a conversation was started from, with its greetings; null for none. */
export function getConversationAgent(conversationId: string): Promise<Agent | null> {
  return call(() => commands.getConversationAgent(conversationId));
}

/**
 * Streams a reply of an unsaved agent (the editor's draft) to a try-out `history` (oldest
 * first, ending with the user's message). Nothing is stored: `done` brings the reply as a
 * message that exists only in the event. Events as for `sendMessage`; stop with
 * `cancelStream`.
 */
export function tryAgent(
  draft: AgentInput,
  history: PromptMessage[],
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.tryAgent(draft, history, channelTo(onEvent)));
}

export function createConversationWithAgent(agentId: string): Promise<Conversation> {
  return call(() => commands.createConversationWithAgent(null, agentId));
}
