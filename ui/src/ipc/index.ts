/**
 * The UI's only door to the Rust core. Components and stores call these functions;
 * they never import `bindings.ts` or create a `Channel` themselves.
 *
 * Each function returns the command's data or throws an `IpcError`.
 */
import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type {
  ChatEvent,
  Conversation,
  ConversationDetail,
  KeyStatus,
  ProviderInfo,
} from "../bindings";
import { IpcError, toIpcError } from "./errors";

export type {
  ChatEvent,
  Conversation,
  ConversationDetail,
  ErrorCode,
  KeyStatus,
  Message,
  MessageMeta,
  MessageState,
  ProviderInfo,
  Role,
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

/**
 * Starts a reply. Resolves with the stream id once the core has accepted the message;
 * `onEvent` then receives `started`, any number of `delta`s, and exactly one `done` or `error`.
 */
export function sendMessage(
  conversationId: string,
  text: string,
  onEvent: (event: ChatEvent) => void,
): Promise<string> {
  return call(() => {
    const channel = new Channel<ChatEvent>();
    channel.onmessage = onEvent;
    return commands.sendMessage(conversationId, text, channel);
  });
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
