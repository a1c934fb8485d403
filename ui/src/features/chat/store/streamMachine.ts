/**
 * The state machine of one reply stream, as pure functions: an event of the core's channel
 * (or a step of this window: the command returned, Stop was pressed) takes a stream entry
 * to its next state and names what else must happen (`StreamEffect`). `chatStore` keeps the
 * entries and carries the effects out; nothing here reads a store, a clock or the core.
 */
import type { ChatEvent, ErrorCode, Message, QueueReason } from "../../../ipc";
import {
  openCallsOf,
  withToolCall,
  withToolProgress,
  withToolResult,
  type StepsState,
} from "./toolSteps";

/** What a reply is waiting for before its first words; cleared by the first `delta`. */
export type StreamStatus =
  | { kind: "queued"; reason: QueueReason }
  /** The provider failed before any text; the next try starts at `retryAt` (unix ms). */
  | { kind: "retrying"; attempt: number; code: ErrorCode; message: string; retryAt: number }
  /** The stream was cut after some text; it is resumed from there at `retryAt` (unix ms). */
  | { kind: "resuming"; attempt: number; code: ErrorCode; message: string; retryAt: number }
  /** The request is out; no text yet since `since` (unix ms). */
  | { kind: "waiting"; since: number };

/**
 * A reply being written: its steps and current text (`StepsState`), and how the stream
 * stands. Lives only until `done` or `error`; the core owns the saved copy.
 */
export interface StreamState extends StepsState {
  /**
   * Which request of this window the entry belongs to. Events carry it, so a late event of
   * an earlier stream in the same conversation can never touch a newer one.
   */
  key: number;
  conversationId: string;
  /** How it began: `attach` is a stream picked up again after a reload. */
  origin: "send" | "regenerate" | "continue" | "edit" | "attach";
  /** Known once `started` (or `snapshot`) arrives, or the command returns. */
  streamId: string | null;
  /** The text the person sent, shown until `started` brings the stored user message. */
  pendingUserText: string | null;
  /**
   * Regenerate and edit & resend replace the messages from this seq on; they are hidden
   * until `started` confirms the core has dropped them.
   */
  replacesFromSeq: number | null;
  status: StreamStatus | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Stop was pressed; the core answers with `done` (state `cancelled`). */
  stopping: boolean;
}

/** What a step asks of the world around the stream. */
export type StreamEffect =
  /** Put the message into the open transcript; `dropLater` drops the messages after it. */
  | { kind: "show"; message: Message; dropLater: boolean }
  /** The conversation has a (new) title. */
  | { kind: "title"; conversationId: string; title: string }
  /** The conversation may have been titled from the message just sent: fetch the title. */
  | { kind: "fetch_title" }
  /** The reply failed: say why, and re-read what the core saved. */
  | { kind: "fail"; code: ErrorCode; message: string }
  /** Ask the core to stop the stream. */
  | { kind: "cancel"; streamId: string }
  /** The conversation list changed (order, preview). */
  | { kind: "refresh_list" };

export interface StreamStep {
  /** The entry after the step; null once the stream has ended (or was not tracked). */
  stream: StreamState | null;
  effects: StreamEffect[];
}

/** A new entry, before the core has answered. */
export function newStream(
  key: number,
  conversationId: string,
  init: Pick<StreamState, "origin"> & Partial<StreamState>,
): StreamState {
  return {
    key,
    conversationId,
    streamId: null,
    pendingUserText: null,
    replacesFromSeq: null,
    steps: [],
    text: "",
    reasoning: "",
    openCalls: {},
    reasoningSince: null,
    answerSince: null,
    status: null,
    usage: null,
    stopping: false,
    ...init,
  };
}

const unchanged = (stream: StreamState | null): StreamStep => ({ stream, effects: [] });

/** The id is known: keep it, and send a stop that was pressed before it arrived. */
export function adoptStreamId(stream: StreamState, streamId: string): StreamStep {
  if (stream.streamId !== null) return unchanged(stream);
  return {
    stream: { ...stream, streamId },
    effects: stream.stopping ? [{ kind: "cancel", streamId }] : [],
  };
}

/** Stop was pressed; without an id yet, the stop goes out when the id arrives. */
export function requestStop(stream: StreamState): StreamStep {
  if (stream.stopping) return unchanged(stream);
  return {
    stream: { ...stream, stopping: true },
    effects: stream.streamId === null ? [] : [{ kind: "cancel", streamId: stream.streamId }],
  };
}

/** The core refused to stop the stream (for another reason than its having ended). */
export function stopFailed(stream: StreamState): StreamState {
  return { ...stream, stopping: false };
}

/**
 * The next state of `stream` after `event`, `now` being the time of arrival (unix ms).
 * `stream` is null for a stream this window no longer tracks (it ended, or a newer one
 * replaced it): only what the event still carries for the transcript then applies.
 */
export function streamStep(stream: StreamState | null, event: ChatEvent, now: number): StreamStep {
  // A title may come after `done`, when the stream entry is already gone.
  if (event.event === "title") {
    const { conversationId, title } = event.data;
    return { stream, effects: [{ kind: "title", conversationId, title }] };
  }
  if (!stream) {
    // A reply the database could not take at first ends with `error` (saying it is kept in
    // memory), then with `done` once it is stored: show it then. Anything else of an
    // untracked stream carries nothing to show.
    if (event.event !== "done") return unchanged(null);
    return {
      stream: null,
      effects: [
        { kind: "show", message: event.data.message, dropLater: false },
        { kind: "refresh_list" },
      ],
    };
  }
  const patch = (change: Partial<StreamState>): StreamStep => ({
    stream: { ...stream, ...change },
    effects: [],
  });

  switch (event.event) {
    case "started": {
      const { streamId, userMessage, text } = event.data;
      const adopted = adoptStreamId(stream, streamId);
      return {
        // A continuation starts from the text of the reply it continues (dropped from the
        // transcript until `done` brings it back, longer).
        stream: {
          ...(adopted.stream ?? stream),
          pendingUserText: null,
          replacesFromSeq: null,
          text,
        },
        effects: [
          ...adopted.effects,
          { kind: "fetch_title" },
          { kind: "show", message: userMessage, dropLater: true },
        ],
      };
    }
    case "snapshot": {
      const { streamId, text, reasoning, steps, awaitingApproval } = event.data;
      const adopted = adoptStreamId(stream, streamId);
      // The steps and text so far, in place of anything shown before: never appended twice.
      return {
        stream: {
          ...(adopted.stream ?? stream),
          steps,
          text,
          reasoning,
          openCalls: openCallsOf(steps, awaitingApproval, now),
        },
        effects: adopted.effects,
      };
    }
    case "queued":
      return patch({ status: { kind: "queued", reason: event.data.reason } });
    case "retrying":
    case "resuming": {
      const { attempt, delayMs, code, message } = event.data;
      const kind = event.event;
      return patch({ status: { kind, attempt, code, message, retryAt: now + delayMs } });
    }
    case "heartbeat":
      return patch({ status: { kind: "waiting", since: now - event.data.waitedMs } });
    case "delta":
      return patch({
        text: stream.text + event.data.text,
        status: null,
        answerSince: stream.answerSince ?? now,
      });
    case "reasoning":
      return patch({
        reasoning: stream.reasoning + event.data.text,
        status: null,
        reasoningSince: stream.reasoningSince ?? now,
      });
    case "retrieved":
      // What the knowledge bases gave, shown as the reply's sources while it is written.
      return patch({ steps: [...event.data.parts, ...stream.steps] });
    case "toolCall":
      return { stream: { ...withToolCall(stream, event.data, now), status: null }, effects: [] };
    case "toolProgress":
      return { stream: withToolProgress(stream, event.data), effects: [] };
    case "toolResult":
      return { stream: withToolResult(stream, event.data, now), effects: [] };
    case "usage": {
      const { promptTokens, completionTokens } = event.data;
      return patch({ usage: { promptTokens, completionTokens } });
    }
    case "done":
      return {
        stream: null,
        effects: [
          { kind: "show", message: event.data.message, dropLater: false },
          { kind: "refresh_list" },
        ],
      };
    case "error": {
      const { code, message } = event.data;
      return { stream: null, effects: [{ kind: "fail", code, message }, { kind: "refresh_list" }] };
    }
  }
}
