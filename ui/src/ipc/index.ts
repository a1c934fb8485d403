/**
 * The UI's only door to the Rust core. Components and stores call these functions;
 * they never import `bindings.ts` or create a `Channel` themselves.
 *
 * Each function returns the command's data or throws an `IpcError`.
 */
import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type {
  ActiveStream,
  ChatEvent,
  Conversation,
  ConversationDetail,
  KeyStatus,
  ProviderInfo,
  Settings,
} from "../bindings";
import { IpcError, toIpcError } from "./errors";

export type {
  ActiveStream,
  ChatEvent,
  Conversation,
  ConversationDetail,
  ErrorCode,
  KeyStatus,
  Message,
  MessageMeta,
  MessageState,
  ProviderInfo,
  QueueReason,
  Role,
  Settings,
} from "../bindings";
export { ERROR_CODES, IpcError, toIpcError } from "./errors";
export type { IpcErrorCode } from "./errors";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

interface TauriInternals {
  invoke?: unknown;
}

/** True inside the desktop shell (or under `mockIPC` in tests). */
export function isCoreReachable(): boolean {
  const internals = (window as { __TAURI_INTERNALS__?: TauriInternals }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === "function";
}

function ensureReachable(): void {
  if (!isCoreReachable()) {
    throw new IpcError("unavailable", "The Confab core is not running.");
  }
}

/** For commands returning `Result<T, AppError>`. */
async function call<T>(run: () => Promise<CommandResult<T>>): Promise<T> {
  ensureReachable();
  let result: CommandResult<T>;
  try {
    result = await run();
  } catch (error) {
    throw toIpcError(error);
  }
  // The error is an `AppError` by contract, but Tauri's own failures (unknown command,
  // denied by capabilities) arrive on the same path as a bare string.
  if (result.status === "error") throw toIpcError(result.error);
  return result.data;
}

/** For commands that cannot fail in the core; the IPC itself still can. */
async function callInfallible<T>(run: () => Promise<T>): Promise<T> {
  ensureReachable();
  try {
    return await run();
  } catch (error) {
    throw toIpcError(error);
  }
}

export function createConversation(title: string | null = null): Promise<Conversation> {
  return call(() => commands.createConversation(title));
}

export function listConversations(limit: number, offset = 0): Promise<Conversation[]> {
  return call(() => commands.listConversations(limit, offset));
}

export function getConversation(id: string): Promise<ConversationDetail> {
  return call(() => commands.getConversation(id));
}

export async function deleteConversation(id: string): Promise<void> {
  await call(() => commands.deleteConversation(id));
}

/** Called with each event of one reply stream, in order. */
export type ChatEventHandler = (event: ChatEvent) => void;

function channelTo(onEvent: ChatEventHandler): Channel<ChatEvent> {
  const channel = new Channel<ChatEvent>();
  channel.onmessage = onEvent;
  return channel;
}

/**
 * Starts a reply. Resolves with the stream id once the core has accepted the message;
 * `onEvent` then receives `started`, any of `queued` / `retrying` / `heartbeat` / `delta` /
 * `usage`, exactly one `done` or `error`, and possibly a `title` after that.
 */
export function sendMessage(
  conversationId: string,
  text: string,
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.sendMessage(conversationId, text, channelTo(onEvent)));
}

/** Replaces the conversation's last reply with a new one; events as for `sendMessage`. */
export function regenerate(conversationId: string, onEvent: ChatEventHandler): Promise<string> {
  return call(() => commands.regenerate(conversationId, channelTo(onEvent)));
}

/**
 * Changes the text of a user message, drops every message after it and streams a new reply;
 * events as for `sendMessage` (`started` brings the edited message).
 */
export function editAndResend(
  messageId: string,
  text: string,
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.editAndResend(messageId, text, channelTo(onEvent)));
}

/**
 * Stops a reply. The stream then ends with `done`, bringing the reply stored as `cancelled`
 * with its text. Rejects with `not_found` when the stream has already ended.
 */
export async function cancelStream(streamId: string): Promise<void> {
  await call(() => commands.cancelStream(streamId));
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

export function getSettings(): Promise<Settings> {
  return call(() => commands.getSettings());
}

/** Stores the settings and returns them as stored; an out-of-range field is `invalid_input`. */
export function setSettings(settings: Settings): Promise<Settings> {
  return call(() => commands.setSettings(settings));
}

export function getApiKeyStatus(): Promise<KeyStatus> {
  return call(() => commands.getApiKeyStatus());
}

export function setApiKey(key: string): Promise<KeyStatus> {
  return call(() => commands.setApiKey(key));
}

export function clearApiKey(): Promise<KeyStatus> {
  return call(() => commands.clearApiKey());
}

export function getProviderInfo(): Promise<ProviderInfo> {
  return callInfallible(() => commands.getProviderInfo());
}
