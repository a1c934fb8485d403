/**
 * A stand-in for the Rust core in tests, built on `mockIPC`: commands are answered by
 * handlers, and a `send_message` handler can stream `ChatEvent`s into the channel the UI
 * passed, the way the core does.
 */
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Problem } from "../bindings";

export { problem } from "../dev/fakeProblems";
import type { ChatEvent } from "../ipc";

type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;

/** What a failing command rejects with: the serialized `AppError`. */
export function appError(
  code: string,
  message = `${code} from the core`,
  problems: Problem[] = [],
) {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- Tauri rejects with the serialized value
  return Promise.reject({ code, message, problems });
}

/** The core's `invalid_input` with these problems (its message is the English summary). */
export function invalidInput(...problems: Problem[]) {
  const lines = problems.map((p) => (p.path === "" ? p.rule : `${p.path}: ${p.rule}`));
  return appError("invalid_input", lines.join("\n"), problems);
}

interface MockCore {
  calls: { cmd: string; args: Args }[];
}

export function mockCore(handlers: Record<string, Handler>): MockCore {
  const core: MockCore = { calls: [] };
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Args;
    core.calls.push({ cmd, args });
    const handler = handlers[cmd];
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as Tauri does
    if (!handler) return Promise.reject(`command ${cmd} not found`);
    return handler(args);
  });
  return core;
}

interface TauriCallbacks {
  runCallback: (id: number, data: unknown) => void;
}

/**
 * Sends events down a channel as the core would: each carries its index, so the
 * `Channel` delivers them in order, and an end marker closes it.
 */
export function channelSender(channel: unknown) {
  const { id } = channel as Channel<ChatEvent>;
  const internals = (window as unknown as { __TAURI_INTERNALS__: TauriCallbacks })
    .__TAURI_INTERNALS__;
  let index = 0;
  return {
    send: (event: ChatEvent) => {
      internals.runCallback(id, { index: index++, message: event });
    },
    end: () => {
      internals.runCallback(id, { index: index++, end: true });
    },
  };
}

/**
 * A streaming command (`send_message`, `regenerate`, `edit_and_resend`, `attach_stream`)
 * whose channel the test drives: `emit` sends the next event, as the core would.
 */
export function manualStream(result: unknown = null) {
  let sender: ReturnType<typeof channelSender> | null = null;
  return {
    handler: (args: Args) => {
      sender = channelSender(args.onEvent);
      return result;
    },
    emit: (event: ChatEvent) => {
      if (!sender) throw new Error("the streaming command was not called");
      sender.send(event);
    },
    get called() {
      return sender !== null;
    },
  };
}
