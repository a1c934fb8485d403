import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../../ipc";
import { message, startedEvent } from "../../../test/fixtures";
import {
  adoptStreamId,
  newStream,
  requestStop,
  stopFailed,
  streamStep,
  type StreamState,
} from "../store/streamMachine";

const NOW = 1_700_000_000_000;

function stream(change: Partial<StreamState> = {}): StreamState {
  return { ...newStream(1, "c1", { origin: "send", pendingUserText: "Hi" }), ...change };
}

/** Plays `events` from `start`, returning every step. */
function play(start: StreamState | null, events: ChatEvent[]) {
  const steps = [];
  let current = start;
  for (const event of events) {
    const step = streamStep(current, event, NOW);
    steps.push(step);
    current = step.stream;
  }
  return steps;
}

const user = message({ conversationId: "c1", id: "u1", seq: 1, role: "user", content: "Hi" });
const reply = message({
  conversationId: "c1",
  id: "r1",
  seq: 2,
  role: "assistant",
  content: "Hello",
});
const started = (text = ""): ChatEvent => startedEvent(user, { text });

describe("stream state machine", () => {
  it("starts with nothing known but the origin", () => {
    expect(stream()).toMatchObject({
      key: 1,
      conversationId: "c1",
      origin: "send",
      streamId: null,
      pendingUserText: "Hi",
      text: "",
      status: null,
      usage: null,
      stopping: false,
    });
  });

  it("started: adopts the id, drops the pending text, shows the user message over later ones", () => {
    const step = streamStep(stream({ replacesFromSeq: 3 }), started(), NOW);
    expect(step.stream).toMatchObject({
      streamId: "s1",
      pendingUserText: null,
      replacesFromSeq: null,
      text: "",
    });
    expect(step.effects).toEqual([
      { kind: "fetch_title" },
      { kind: "show", message: user, dropLater: true },
    ]);
  });

  it("started of a continuation begins from the continued reply's text", () => {
    const step = streamStep(stream({ origin: "continue" }), started("Once upon"), NOW);
    expect(step.stream?.text).toBe("Once upon");
  });

  it("deltas append and clear a waiting status; the reply ends with done", () => {
    const steps = play(stream(), [
      started(),
      { event: "queued", data: { reason: "concurrency" } },
      { event: "delta", data: { text: "Hel" } },
      { event: "delta", data: { text: "lo" } },
      { event: "usage", data: { promptTokens: 5, completionTokens: 2 } },
      { event: "done", data: { message: reply } },
    ]);
    expect(steps[1]?.stream?.status).toEqual({ kind: "queued", reason: "concurrency" });
    expect(steps[2]?.stream).toMatchObject({ text: "Hel", status: null });
    expect(steps[3]?.stream?.text).toBe("Hello");
    expect(steps[4]?.stream?.usage).toEqual({ promptTokens: 5, completionTokens: 2 });
    const done = steps[5];
    expect(done?.stream).toBeNull();
    expect(done?.effects).toEqual([
      { kind: "show", message: reply, dropLater: false },
      { kind: "refresh_list" },
    ]);
  });

  it("retrying and resuming say when the next try starts; a heartbeat since when it waits", () => {
    const cut = { attempt: 2, delayMs: 1500, code: "network", message: "reset" } as const;
    const [retrying, resuming, heartbeat] = play(stream({ streamId: "s1" }), [
      { event: "retrying", data: cut },
      { event: "resuming", data: cut },
      { event: "heartbeat", data: { waitedMs: 12_000 } },
    ]);
    expect(retrying?.stream?.status).toEqual({
      kind: "retrying",
      attempt: 2,
      code: "network",
      message: "reset",
      retryAt: NOW + 1500,
    });
    expect(resuming?.stream?.status).toMatchObject({ kind: "resuming", retryAt: NOW + 1500 });
    expect(heartbeat?.stream?.status).toEqual({ kind: "waiting", since: NOW - 12_000 });
  });

  it("resuming keeps the text so far, and later deltas go on from it", () => {
    const steps = play(stream({ streamId: "s1", text: "Half" }), [
      {
        event: "resuming",
        data: { attempt: 1, delayMs: 10, code: "network", message: "reset" },
      },
      { event: "delta", data: { text: " more" } },
    ]);
    expect(steps[0]?.stream?.text).toBe("Half");
    expect(steps[1]?.stream).toMatchObject({ text: "Half more", status: null });
  });

  it("error ends the stream, reports the code and refreshes", () => {
    const step = streamStep(
      stream({ streamId: "s1", text: "Hal" }),
      { event: "error", data: { code: "network", message: "reset", partialSaved: true } },
      NOW,
    );
    expect(step.stream).toBeNull();
    expect(step.effects).toEqual([
      { kind: "fail", code: "network", message: "reset" },
      { kind: "refresh_list" },
    ]);
  });

  it("a reply stopped at the size limit (too_long) ends with done like any other", () => {
    const partial = message({
      conversationId: "c1",
      id: "r2",
      seq: 2,
      role: "assistant",
      state: "partial",
      meta: { reason: "too_long" },
    });
    const step = streamStep(
      stream({ streamId: "s1" }),
      { event: "done", data: { message: partial } },
      NOW,
    );
    expect(step.stream).toBeNull();
    expect(step.effects[0]).toEqual({ kind: "show", message: partial, dropLater: false });
  });

  it("snapshot replaces the text instead of appending it", () => {
    const attached = newStream(3, "c1", { origin: "attach", streamId: "s1" });
    const event: ChatEvent = {
      event: "snapshot",
      data: {
        streamId: "s1",
        conversationId: "c1",
        text: "So far",
        reasoning: "",
        steps: [],
        awaitingApproval: [],
      },
    };
    const once = streamStep(attached, event, NOW).stream;
    expect(streamStep(once, event, NOW).stream?.text).toBe("So far");
  });

  it("a title applies whether or not the stream is still tracked", () => {
    const event: ChatEvent = { event: "title", data: { conversationId: "c1", title: "Greetings" } };
    const effect = { kind: "title", conversationId: "c1", title: "Greetings" };
    const tracked = stream();
    expect(streamStep(tracked, event, NOW)).toEqual({ stream: tracked, effects: [effect] });
    expect(streamStep(null, event, NOW)).toEqual({ stream: null, effects: [effect] });
  });

  it("of an untracked stream only done shows anything", () => {
    expect(streamStep(null, { event: "delta", data: { text: "late" } }, NOW)).toEqual({
      stream: null,
      effects: [],
    });
    expect(streamStep(null, started(), NOW).effects).toEqual([]);
    expect(streamStep(null, { event: "done", data: { message: reply } }, NOW).effects).toEqual([
      { kind: "show", message: reply, dropLater: false },
      { kind: "refresh_list" },
    ]);
  });

  describe("cancel", () => {
    it("stop with a known id asks the core to cancel, once", () => {
      const first = requestStop(stream({ streamId: "s1" }));
      expect(first.stream?.stopping).toBe(true);
      expect(first.effects).toEqual([{ kind: "cancel", streamId: "s1" }]);
      expect(requestStop(first.stream!).effects).toEqual([]);
    });

    it("stop before the id is known is sent when the id arrives, by the command or started", () => {
      const stopped = requestStop(stream());
      expect(stopped.effects).toEqual([]);
      expect(adoptStreamId(stopped.stream!, "s1").effects).toEqual([
        { kind: "cancel", streamId: "s1" },
      ]);
      expect(streamStep(stopped.stream, started(), NOW).effects[0]).toEqual({
        kind: "cancel",
        streamId: "s1",
      });
    });

    it("an id is adopted once: a second one changes nothing", () => {
      const adopted = adoptStreamId(stream(), "s1").stream!;
      expect(adoptStreamId(adopted, "s2")).toEqual({ stream: adopted, effects: [] });
    });

    it("a refused stop can be pressed again", () => {
      const stopped = requestStop(stream({ streamId: "s1" })).stream!;
      const again = requestStop(stopFailed(stopped));
      expect(again.effects).toEqual([{ kind: "cancel", streamId: "s1" }]);
    });

    it("the cancelled reply ends with done, shown as stored", () => {
      const cancelled = message({
        conversationId: "c1",
        id: "r3",
        seq: 2,
        role: "assistant",
        state: "cancelled",
      });
      const stopped = requestStop(stream({ streamId: "s1" })).stream;
      const step = streamStep(stopped, { event: "done", data: { message: cancelled } }, NOW);
      expect(step.stream).toBeNull();
      expect(step.effects[0]).toEqual({ kind: "show", message: cancelled, dropLater: false });
    });
  });
});
