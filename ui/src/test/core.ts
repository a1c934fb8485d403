/**
 * A stand-in for the Rust core in tests: commands are answered by handlers typed against
 * `bindings.ts` (see `dev/typedCore.ts`), and a streaming handler can send `ChatEvent`s into
 * the channel the UI passed, the way the core does.
 */
import type { Channel } from "@tauri-apps/api/core";
import type { Problem } from "../bindings";
import type { ChatEvent } from "../ipc";
import { channelSender, installCore, type CoreHandlers, type WireCall } from "../dev/typedCore";

import { refuse } from "../dev/fakeProblems";
import { createAttachments } from "../dev/fakeAttachments";

export { problem } from "../dev/fakeProblems";

export { channelSender };
export { emitEvent } from "../dev/typedCore";

/**
 * The attachment commands as the dev fake core answers them (see `dev/fakeAttachments.ts`:
 * a file is read by its name; `slow` in a name takes `slowMs`), and what it holds.
 */
export function attachmentCore(slowMs = 200) {
  return createAttachments(false, slowMs);
}

/** What a failing command rejects with: the serialized `AppError`. */
export function appError(
  code: string,
  message = `${code} from the core`,
  problems: Problem[] = [],
): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- Tauri rejects with the serialized value
  return Promise.reject({ code, message, problems });
}

/** The core's `invalid_input` with these problems (its message is the English summary). */
export function invalidInput(...problems: Problem[]): Promise<never> {
  return refuse(appError, ...problems);
}

/** Answers for the commands a test needs; the others are refused as unknown. */
export type Handlers = Partial<CoreHandlers>;

interface MockCore {
  /** Every command as it crossed the wire: its name and named arguments. */
  calls: WireCall[];
}

export function mockCore(handlers: Handlers): MockCore {
  const core: MockCore = { calls: [] };
  installCore(handlers, (call) => core.calls.push(call));
  return core;
}

/**
 * A streaming command (`sendMessage`, `regenerate`, `editAndResend`, `attachStream`) whose
 * channel the test drives: `emit` sends the next event, as the core would. The channel is
 * the command's last parameter.
 */
export function manualStream<R extends string | null>(result: R) {
  let sender: ReturnType<typeof channelSender<ChatEvent>> | null = null;
  return {
    handler: (...args: [...unknown[], Channel<ChatEvent>]) => {
      sender = channelSender(args[args.length - 1] as Channel<ChatEvent>);
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
