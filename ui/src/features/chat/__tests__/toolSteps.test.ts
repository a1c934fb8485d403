import { describe, expect, it } from "vitest";
import type { ChatEvent, Part, ToolStatus } from "../../../ipc";
import { newStream, streamStep, type StreamState } from "../store/streamMachine";
import { finishedSteps, withAnswering } from "../store/toolSteps";

const NOW = 1_700_000_000_000;

/** Plays `events`, the n-th arriving at NOW + n seconds; returns the last entry. */
function play(events: ChatEvent[], start?: StreamState): StreamState {
  let current: StreamState | null = start ?? newStream(1, "c1", { origin: "send" });
  events.forEach((event, n) => {
    const step = streamStep(current, event, NOW + n * 1000);
    expect(step.effects).toEqual([]);
    current = step.stream;
  });
  if (!current) throw new Error("the stream ended");
  return current;
}

const delta = (text: string): ChatEvent => ({ event: "delta", data: { text } });
const reasoning = (text: string): ChatEvent => ({ event: "reasoning", data: { text } });
const call = (callId: string, status: ToolStatus, name = "search"): ChatEvent => ({
  event: "toolCall",
  data: { callId, name, server: "Web", arguments: '{"q":"tides"}', status },
});
const result = (callId: string, content: string, isError = false): ChatEvent => ({
  event: "toolResult",
  data: { callId, content, isError, durationMs: 420 },
});
const callPart = (callId: string, name = "search"): Part => ({
  type: "toolCall",
  callId,
  name,
  server: "Web",
  arguments: '{"q":"tides"}',
});

describe("tool steps of a stream", () => {
  it("a call ends the segment: its reasoning and text become parts, the call waits", () => {
    const stream = play([
      reasoning("Need data."),
      delta("Let me look."),
      call("c-1", "awaiting_approval"),
    ]);
    expect(stream.steps).toEqual([
      // Thought from the first event until the answer began, one second later.
      { type: "reasoning", text: "Need data.", durationMs: 1000 },
      { type: "text", text: "Let me look." },
      callPart("c-1"),
    ]);
    expect(stream).toMatchObject({ text: "", reasoning: "", reasoningSince: null });
    expect(stream.openCalls["c-1"]).toEqual({
      status: "awaiting_approval",
      runningSince: null,
      progress: null,
      answering: false,
    });
  });

  it("the call sent again when allowed changes its status, not the steps", () => {
    const stream = play([call("c-1", "awaiting_approval"), call("c-1", "running")]);
    expect(stream.steps).toEqual([callPart("c-1")]);
    expect(stream.openCalls["c-1"]).toMatchObject({ status: "running", runningSince: NOW + 1000 });
  });

  it("progress is kept for an open call and ignored for an unknown one", () => {
    const stream = play([
      call("c-1", "running"),
      { event: "toolProgress", data: { callId: "c-1", progress: 3, total: 10, message: "page 3" } },
      { event: "toolProgress", data: { callId: "nope", progress: 1, total: null, message: null } },
    ]);
    expect(stream.openCalls["c-1"]?.progress).toEqual({
      progress: 3,
      total: 10,
      message: "page 3",
    });
    expect(Object.keys(stream.openCalls)).toEqual(["c-1"]);
  });

  it("results close their calls in any order; text after them starts a new segment", () => {
    const stream = play([
      call("c-1", "running"),
      call("c-2", "running", "fetch"),
      result("c-2", "page text"),
      result("c-1", "no such tool", true),
      delta("The tide is high."),
    ]);
    expect(stream.steps).toEqual([
      callPart("c-1"),
      callPart("c-2", "fetch"),
      { type: "toolResult", callId: "c-2", content: "page text", isError: false, durationMs: 420 },
      {
        type: "toolResult",
        callId: "c-1",
        content: "no such tool",
        isError: true,
        durationMs: 420,
      },
    ]);
    expect(stream.openCalls).toEqual({});
    expect(stream.text).toBe("The tide is high.");
    expect(stream.answerSince).toBe(NOW + 4000);
  });

  it("whitespace alone before a call is not kept as text", () => {
    expect(play([delta("\n\n"), call("c-1", "refused")]).steps).toEqual([callPart("c-1")]);
  });

  it("a call clears what the reply was waiting for", () => {
    const stream = play([{ event: "heartbeat", data: { waitedMs: 5000 } }, call("c-1", "running")]);
    expect(stream.status).toBeNull();
  });

  it("a snapshot brings the steps; calls it names wait, other unanswered ones run", () => {
    const steps: Part[] = [
      { type: "text", text: "Checking." },
      callPart("c-1"),
      callPart("c-2"),
      callPart("c-3"),
      { type: "toolResult", callId: "c-3", content: "done", isError: false, durationMs: 5 },
    ];
    const stream = play([
      delta("stale"),
      {
        event: "snapshot",
        data: {
          streamId: "s1",
          conversationId: "c1",
          text: "",
          reasoning: "",
          steps,
          awaitingApproval: ["c-2"],
        },
      },
    ]);
    expect(stream.steps).toEqual(steps);
    expect(stream.text).toBe("");
    expect(stream.openCalls).toEqual({
      "c-1": { status: "running", runningSince: NOW + 1000, progress: null, answering: false },
      "c-2": { status: "awaiting_approval", runningSince: null, progress: null, answering: false },
    });
  });

  it("an answered call stays answered until the stream moves it on", () => {
    const waiting = play([call("c-1", "awaiting_approval")]);
    const answered = withAnswering(waiting, "c-1", true);
    expect(answered.openCalls["c-1"]?.answering).toBe(true);
    expect(withAnswering(answered, "c-1", false).openCalls["c-1"]?.answering).toBe(false);
    expect(withAnswering(waiting, "unknown", true)).toBe(waiting);
    const running = streamStep(answered, call("c-1", "running"), NOW).stream;
    expect(running?.openCalls["c-1"]).toMatchObject({ status: "running", answering: false });
  });

  it("a stored reply's finished steps end at its last call or result", () => {
    const parts: Part[] = [
      { type: "text", text: "Looking." },
      callPart("c-1"),
      { type: "toolResult", callId: "c-1", content: "42", isError: false },
      { type: "text", text: "It is 42" },
    ];
    expect(finishedSteps(parts)).toEqual(parts.slice(0, 3));
    expect(finishedSteps([{ type: "text", text: "plain" }])).toEqual([]);
  });
});
