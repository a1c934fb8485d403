/**
 * How every domain module of the IPC layer reaches the core: availability, the `Result`
 * unwrapping and the error mapping live here once.
 */
import { Channel } from "@tauri-apps/api/core";
import { IpcError, toIpcError } from "./errors";

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
export async function call<T>(run: () => Promise<CommandResult<T>>): Promise<T> {
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
export async function callInfallible<T>(run: () => Promise<T>): Promise<T> {
  ensureReachable();
  try {
    return await run();
  } catch (error) {
    throw toIpcError(error);
  }
}

/** A channel handing each message the core sends to `onEvent`, in order. */
export function channelTo<T>(onEvent: (event: T) => void): Channel<T> {
  const channel = new Channel<T>();
  channel.onmessage = onEvent;
  return channel;
}
