/**
 * The tool steps of a reply stream, as pure functions over its entry (see
 * `streamMachine.ts`): a tool call ends the text and reasoning before it, which become
 * finished parts; calls and results are kept in the order they came; each call still open
 * (waiting for the person, or running) has a live state until its result arrives.
 */
import type { ChatEvent, Part, ToolStatus } from "../../../ipc";

type EventData<E extends ChatEvent["event"]> = Extract<ChatEvent, { event: E }>["data"];

/** A call of the reply that has no result yet. */
export interface OpenToolCall {
  status: ToolStatus;
  /** When it began to run (unix ms, this window); null while it waits or was refused. */
  runningSince: number | null;
  /** The last progress the tool reported. */
  progress: { progress: number | null; total: number | null; message: string | null } | null;
  /** The person answered it and the core has not moved it on yet. */
  answering: boolean;
}

/** What a stream entry holds of its steps (a part of `StreamState`). */
export interface StepsState {
  /** The reply's finished steps: text, reasoning, tool calls and results, in order. */
  steps: Part[];
  /** The current segment (after the last tool step): its text so far. */
  text: string;
  /** The segment's reasoning (shown apart from the reply, never sent back). */
  reasoning: string;
  /** When the segment's first reasoning arrived and its answer began (unix ms, this window). */
  reasoningSince: number | null;
  answerSince: number | null;
  /** The calls in `steps` without a result yet (waiting or running), by call id. */
  openCalls: Record<string, OpenToolCall>;
}

/** The current segment's text and reasoning as finished parts, and the segment cleared. */
function endSegment<S extends StepsState>(stream: S, now: number): S {
  const { text, reasoning, reasoningSince, answerSince } = stream;
  if (text === "" && reasoning === "") return stream;
  const parts: Part[] = [];
  if (reasoning !== "") {
    const durationMs = reasoningSince === null ? null : (answerSince ?? now) - reasoningSince;
    parts.push({ type: "reasoning", text: reasoning, durationMs });
  }
  // Whitespace alone between a thought and a call says nothing.
  if (text.trim() !== "") parts.push({ type: "text", text });
  return {
    ...stream,
    steps: [...stream.steps, ...parts],
    text: "",
    reasoning: "",
    reasoningSince: null,
    answerSince: null,
  };
}

function hasCall(steps: Part[], callId: string): boolean {
  return steps.some((part) => part.type === "toolCall" && part.callId === callId);
}

/** A call announced, or its status changed (waiting → running once allowed). */
export function withToolCall<S extends StepsState>(
  stream: S,
  call: EventData<"toolCall">,
  now: number,
): S {
  const ended = endSegment(stream, now);
  const { callId, name, server, arguments: args, status } = call;
  const steps = hasCall(ended.steps, callId)
    ? ended.steps
    : [...ended.steps, { type: "toolCall" as const, callId, name, arguments: args, server }];
  const before = ended.openCalls[callId];
  const open: OpenToolCall = {
    status,
    runningSince: status === "running" ? (before?.runningSince ?? now) : null,
    progress: before?.progress ?? null,
    answering: false,
  };
  return { ...ended, steps, openCalls: { ...ended.openCalls, [callId]: open } };
}

export function withToolProgress<S extends StepsState>(
  stream: S,
  report: EventData<"toolProgress">,
): S {
  const open = stream.openCalls[report.callId];
  if (!open) return stream;
  const { progress, total, message } = report;
  const next = { ...open, progress: { progress, total, message } };
  return { ...stream, openCalls: { ...stream.openCalls, [report.callId]: next } };
}

/** A call's result: kept in the steps, and the call is no longer open. */
export function withToolResult<S extends StepsState>(
  stream: S,
  result: EventData<"toolResult">,
  now: number,
): S {
  const { callId, content, isError, durationMs } = result;
  const ended = endSegment(stream, now);
  const openCalls = { ...ended.openCalls };
  delete openCalls[callId];
  return {
    ...ended,
    steps: [...ended.steps, { type: "toolResult", callId, content, isError, durationMs }],
    openCalls,
  };
}

/**
 * The open calls of a snapshot's steps: those it names wait for the person, the others
 * without a result run.
 */
export function openCallsOf(
  steps: Part[],
  awaitingApproval: string[],
  now: number,
): Record<string, OpenToolCall> {
  const answered = new Set(
    steps.flatMap((part) => (part.type === "toolResult" ? [part.callId] : [])),
  );
  const open: Record<string, OpenToolCall> = {};
  for (const part of steps) {
    if (part.type !== "toolCall" || answered.has(part.callId)) continue;
    const waiting = awaitingApproval.includes(part.callId);
    open[part.callId] = {
      status: waiting ? "awaiting_approval" : "running",
      runningSince: waiting ? null : now,
      progress: null,
      answering: false,
    };
  }
  return open;
}

/** The person answered `callId` (true) or the answer did not reach the core (false). */
export function withAnswering<S extends StepsState>(stream: S, callId: string, on: boolean): S {
  const open = stream.openCalls[callId];
  if (!open || open.answering === on) return stream;
  return { ...stream, openCalls: { ...stream.openCalls, [callId]: { ...open, answering: on } } };
}

/**
 * A stored reply's finished steps: its parts up to its last tool call or result (none when
 * it has no tool step). A continuation starts after them.
 */
export function finishedSteps(parts: Part[]): Part[] {
  let end = 0;
  parts.forEach((part, i) => {
    if (part.type === "toolCall" || part.type === "toolResult") end = i + 1;
  });
  return parts.slice(0, end);
}
