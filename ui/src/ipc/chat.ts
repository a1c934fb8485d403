/** Reply streams: starting, continuing, stopping and re-attaching to them. */
import { commands } from "../bindings";
import type { ActiveStream, ChatEvent, Part, ToolDecision } from "../bindings";
import { call, callInfallible, channelTo } from "./call";

/** Called with each event of one reply stream, in order. */
export type ChatEventHandler = (event: ChatEvent) => void;

/**
 * Starts a reply to `text` and `attachments` (image and file parts as attaching gave them;
 * the text may be empty when there are some). Resolves with the stream id once the core has
 * accepted the message; `onEvent` then receives `started`, any of `queued` / `retrying` /
 * `heartbeat` / `delta` / `usage`, exactly one `done` or `error`, and possibly a `title`.
 */
export function sendMessage(
  conversationId: string,
  text: string,
  attachments: Part[],
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.sendMessage(conversationId, text, attachments, channelTo(onEvent)));
}

/** Replaces the conversation's last reply with a new one; events as for `sendMessage`. */
export function regenerate(conversationId: string, onEvent: ChatEventHandler): Promise<string> {
  return call(() => commands.regenerate(conversationId, channelTo(onEvent)));
}

/**
 * Goes on with the conversation's last reply, which ended early; `started` names the reply
 * being continued and carries its text, deltas bring only new text, and `done` brings the
 * reply stored over the old one (same id).
 */
export function continueReply(conversationId: string, onEvent: ChatEventHandler): Promise<string> {
  return call(() => commands.continueReply(conversationId, channelTo(onEvent)));
}

/**
 * Changes the text and attachments of a user message, drops every message after it and streams a new reply;
 * events as for `sendMessage` (`started` brings the edited message).
 */
export function editAndResend(
  messageId: string,
  text: string,
  attachments: Part[],
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.editAndResend(messageId, text, attachments, channelTo(onEvent)));
}

/**
 * Stops a reply. The stream then ends with `done`, bringing the reply stored as `cancelled`
 * with its text. Rejects with `not_found` when the stream has already ended.
 */
export async function cancelStream(streamId: string): Promise<void> {
  await call(() => commands.cancelStream(streamId));
}

/**
 * Answers a tool call the reply `streamId` waits on (`toolCall` with status
 * `awaiting_approval`); the stream then sends the call again as `running`, or its result
 * when denied. Rejects with `not_found` when the reply has ended or the call waits no more.
 */
export async function answerToolCall(
  streamId: string,
  callId: string,
  decision: ToolDecision,
): Promise<void> {
  await call(() => commands.answerToolCall(streamId, callId, decision));
}

/**
 * Listens to a reply that is already streaming (after a reload): `onEvent` first receives a
 * `snapshot` with the text so far, then the live events. Rejects with `not_found` when the
 * stream has ended meanwhile.
 */
export async function attachStream(streamId: string, onEvent: ChatEventHandler): Promise<void> {
  await call(() => commands.attachStream(streamId, channelTo(onEvent)));
}

/** Replies streaming now, oldest first. */
export function listActiveStreams(): Promise<ActiveStream[]> {
  return callInfallible(() => commands.listActiveStreams());
}

/** The raw request and response kept with a reply (debug capture), as indented JSON. */
export function getMessageDebug(messageId: string): Promise<string | null> {
  return call(() => commands.getMessageDebug(messageId));
}
