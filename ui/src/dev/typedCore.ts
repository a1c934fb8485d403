/**
 * Stand-in cores (the dev fake core, the tests' `mockCore`) answer commands through the
 * types of `bindings.ts`: one handler per key of `commands`, taking that command's
 * parameters and returning its data. A renamed command, a changed parameter or a changed
 * result type then fails `tsc` here rather than at run time in the desktop app.
 *
 * Underneath, the handlers still sit behind Tauri's `invoke` (via `mockIPC`), so the UI goes
 * through the same generated `commands` and wire names as with the real core.
 */
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { commands } from "../bindings";
import type { Reject } from "./fakeProblems";

type Commands = typeof commands;
export type CommandKey = keyof Commands;

/** A command's data: the `data` of a `Result` command, or what an infallible one returns. */
type Unwrap<R> = [Extract<R, { status: "error" }>] extends [never]
  ? R
  : Extract<R, { status: "ok" }> extends { data: infer T }
    ? T
    : never;

export type Answer<K extends CommandKey> = Unwrap<Awaited<ReturnType<Commands[K]>>>;

/** Answers command `K`; a failure is a rejection with the serialized `AppError`. */
export type CoreHandler<K extends CommandKey> = (
  ...args: Parameters<Commands[K]>
) => Answer<K> | Promise<Answer<K>>;

export type CoreHandlers = { [K in CommandKey]: CoreHandler<K> };

type Snake<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${Snake<Tail>}`
  : S;

/** A command's name on the wire (`send_message` for `sendMessage`). */
export type CommandName = Snake<CommandKey>;

/** One command as it crossed the wire: its name and its named arguments. */
export interface WireCall {
  cmd: CommandName;
  args: Record<string, unknown>;
}

interface Route {
  key: CommandKey;
  /** The wire names of the parameters, in the order of the generated function's. */
  params: string[];
}

let routeTable: Map<string, Route> | null = null;

/**
 * Learns from `commands` itself how each command goes over the wire: every generated
 * function is called once with a marker per parameter under a recording `invoke`, which
 * sees the wire name and which argument name carries which marker. Nothing is written by
 * hand, so a regenerated `bindings.ts` needs no change here.
 */
function routes(): Map<string, Route> {
  if (routeTable) return routeTable;
  const seen: WireCall[] = [];
  mockIPC((cmd, payload) => {
    seen.push({ cmd: cmd as CommandName, args: (payload ?? {}) as Record<string, unknown> });
    return null;
  });
  const table = new Map<string, Route>();
  for (const key of Object.keys(commands) as CommandKey[]) {
    const run = commands[key] as (...args: unknown[]) => Promise<unknown>;
    const markers = Array.from({ length: run.length }, (_, i) => `\u0000parameter ${i}`);
    seen.length = 0;
    void run(...markers);
    const wire = seen[0];
    if (!wire) throw new Error(`stand-in core: ${key} did not call invoke`);
    const params = markers.map((marker) => {
      const name = Object.keys(wire.args).find((arg) => wire.args[arg] === marker);
      if (name === undefined) throw new Error(`stand-in core: a parameter of ${key} is not sent`);
      return name;
    });
    table.set(wire.cmd, { key, params });
  }
  routeTable = table;
  return table;
}

interface TauriInternals {
  runCallback: (id: number, data: unknown) => void;
  metadata?: unknown;
}

const internals = () =>
  (window as unknown as { __TAURI_INTERNALS__: TauriInternals }).__TAURI_INTERNALS__;

/** Event listeners (e.g. the window's file drag and drop): event name → callback ids. */
const listeners = new Map<string, number[]>();

/** Sends `payload` to the page's listeners of a Tauri event, as the shell does. */
export function emitEvent(event: string, payload: unknown): void {
  for (const id of listeners.get(event) ?? []) {
    internals().runCallback(id, { event, id, payload });
  }
}

/** Listening to an event is the one call of the event plugin the UI makes. */
function answerEventPlugin(cmd: string, args: Record<string, unknown>): unknown {
  const { event, handler, eventId } = args as { event: string; handler: number; eventId: number };
  if (cmd === "plugin:event|listen") {
    listeners.set(event, [...(listeners.get(event) ?? []), handler]);
    return handler;
  }
  if (cmd === "plugin:event|unlisten") {
    listeners.set(
      event,
      (listeners.get(event) ?? []).filter((id) => id !== eventId),
    );
  }
  return null;
}

/**
 * Answers Tauri's `invoke` with `handlers`; `onCall` sees every call as it crossed the
 * wire. A command without a handler is refused with a bare string, as Tauri refuses an
 * unknown command. The page is one window, `main`, whose events can be listened to.
 */
export function installCore(
  handlers: Partial<CoreHandlers>,
  onCall?: (call: WireCall) => void,
): void {
  const table = routes();
  listeners.clear();
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    if (cmd.startsWith("plugin:event|")) return answerEventPlugin(cmd, args);
    onCall?.({ cmd: cmd as CommandName, args });
    const route = table.get(cmd);
    const handler = route && (handlers[route.key] as ((...args: unknown[]) => unknown) | undefined);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as Tauri does
    if (!route || !handler) return Promise.reject(`command ${cmd} not found`);
    return handler(...route.params.map((param) => args[param]));
  });
  internals().metadata ??= {
    currentWindow: { label: "main" },
    currentWebview: { windowLabel: "main", label: "main" },
  };
}

/**
 * Sends messages down a channel the UI passed, as the core does: each carries its index,
 * so the `Channel` delivers them in order, and an end marker closes it.
 */
export function channelSender<T>(channel: Channel<T>) {
  let index = 0;
  return {
    send: (message: T) => internals().runCallback(channel.id, { index: index++, message }),
    end: () => internals().runCallback(channel.id, { index: index++, end: true }),
  };
}

/** What a failing command rejects with: the serialized `AppError`. */
export const rejectWith: Reject = (code, message, problems = []) =>
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the core rejects with an AppError
  Promise.reject({ code, message, problems });
