import { lineFields } from "../dev/lineMessage";
import type { Agent, ChatEvent, Conversation, Message } from "../ipc";

let seq = 0;

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  const id = overrides.id ?? `conv-${++seq}`;
  return {
    id,
    agentId: null,
    title: `Conversation ${id}`,
    status: "active",
    pinned: false,
    toolsEnabled: true,
    createdAt: Date.UTC(2025, 0, 2, 9, 0),
    updatedAt: Date.UTC(2025, 0, 2, 9, 30),
    ...overrides,
  };
}

export function message(overrides: Partial<Message> & Pick<Message, "conversationId">): Message {
  const n = ++seq;
  return {
    id: `msg-${n}`,
    seq: n,
    role: "assistant",
    content: "",
    createdAt: Date.UTC(2025, 0, 2, 9, 30),
    state: "complete",
    inContext: true,
    ...lineFields(),
    meta: {},
    ...overrides,
  };
}

/**
 * The `started` event the core sends once it has stored the user message; the stream
 * belongs to that message's conversation.
 */
export function startedEvent(
  userMessage: Message,
  {
    streamId = "s1",
    continuesMessageId = null,
    text = "",
  }: { streamId?: string; continuesMessageId?: string | null; text?: string } = {},
): ChatEvent {
  return {
    event: "started",
    data: {
      streamId,
      conversationId: userMessage.conversationId,
      userMessage,
      continuesMessageId,
      text,
    },
  };
}

/** A user's own agent, "translator" (id "a1"); a test sets the fields it looks at. */
export function testAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: "a1",
    agentId: "translator",
    providerId: null,
    model: null,
    params: {},
    presetMessages: [],
    appPreset: { name: "Translator" },
    contextPolicy: {},
    tools: {},
    builtin: false,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}
