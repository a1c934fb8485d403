import { useCallback, useEffect, useRef, useState } from "react";
import * as ipc from "../../../ipc";
import type { AgentInput, ChatEvent, IpcError, MessageState, PromptMessage } from "../../../ipc";
import type { StreamStatus } from "../../chat/store/chatStore";

/** One message of a try-out; it lives in this pane only, the core stores nothing. */
export interface TrialTurn {
  id: number;
  role: "user" | "assistant";
  content: string;
  state?: MessageState;
  /** How the reply failed; `content` is what arrived before. */
  error?: IpcError;
}

export interface TrialStream {
  streamId: string | null;
  text: string;
  /** A reasoning model's thinking so far, and when it began and the answer began. */
  reasoning: string;
  reasoningSince: number | null;
  answerSince: number | null;
  status: StreamStatus | null;
  stopping: boolean;
}

/** What the try-out sends as history: every turn with text, in order. */
export function historyOf(turns: TrialTurn[]): PromptMessage[] {
  return turns
    .filter((turn) => turn.content.trim() !== "")
    .map(({ role, content }) => ({ role, content }));
}

/**
 * A chat with an unsaved agent: `send` streams a reply of `input` (the draft as it is now)
 * to the turns so far; `stop` ends it; `clear` forgets everything (stopping a reply first).
 * A reply still streaming when the pane goes away is stopped.
 */
export function useTrial() {
  const [turns, setTurns] = useState<TrialTurn[]>([]);
  const [stream, setStream] = useState<TrialStream | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  // Events of an earlier (cleared) try-out must not touch this one.
  const generation = useRef(0);
  const nextId = useRef(1);
  const streamId = useRef<string | null>(null);

  const stopStream = useCallback(() => {
    const id = streamId.current;
    // A stream that has just ended is not found: nothing left to stop.
    if (id) ipc.cancelStream(id).catch(() => undefined);
  }, []);

  useEffect(() => stopStream, [stopStream]);

  const send = useCallback(
    async (text: string, input: AgentInput): Promise<boolean> => {
      const mine = ++generation.current;
      const question: TrialTurn = { id: nextId.current++, role: "user", content: text };
      const history = [...historyOf(turns), { role: "user" as const, content: text }];
      setFailure(null);
      setTurns((all) => [...all, question]);
      setStream({
        streamId: null,
        text: "",
        reasoning: "",
        reasoningSince: null,
        answerSince: null,
        status: null,
        stopping: false,
      });
      let received = "";
      let thought = "";
      let ended = false;
      const end = (turn: Omit<TrialTurn, "id" | "role">) => {
        ended = true;
        streamId.current = null;
        setStream(null);
        setTurns((all) => [...all, { id: nextId.current++, role: "assistant", ...turn }]);
      };
      const onEvent = (event: ChatEvent) => {
        if (generation.current !== mine) return;
        switch (event.event) {
          case "started":
            streamId.current = event.data.streamId;
            setStream((s) => s && { ...s, streamId: event.data.streamId });
            return;
          case "queued":
            setStream((s) => s && { ...s, status: { kind: "queued", reason: event.data.reason } });
            return;
          case "retrying":
          case "resuming": {
            const { attempt, delayMs, code, message } = event.data;
            const retryAt = Date.now() + delayMs;
            const kind = event.event;
            setStream((s) => s && { ...s, status: { kind, attempt, code, message, retryAt } });
            return;
          }
          case "heartbeat": {
            const since = Date.now() - event.data.waitedMs;
            setStream((s) => s && { ...s, status: { kind: "waiting", since } });
            return;
          }
          case "delta":
            received += event.data.text;
            setStream(
              (s) =>
                s && {
                  ...s,
                  text: received,
                  status: null,
                  answerSince: s.answerSince ?? Date.now(),
                },
            );
            return;
          case "reasoning":
            thought += event.data.text;
            setStream(
              (s) =>
                s && {
                  ...s,
                  reasoning: thought,
                  status: null,
                  reasoningSince: s.reasoningSince ?? Date.now(),
                },
            );
            return;
          case "done":
            end({ content: event.data.message.content, state: event.data.message.state });
            return;
          case "error":
            end({
              content: received,
              state: received === "" ? "error" : "partial",
              error: new ipc.IpcError(event.data.code, event.data.message),
            });
            return;
          // Nothing to show for these in a try-out (no attach, no title).
          case "snapshot":
          case "usage":
          case "title":
            return;
          // A try-out is offered no tools, and shows no sources.
          case "retrieved":
          case "toolCall":
          case "toolProgress":
          case "toolResult":
            return;
        }
      };
      try {
        const id = await ipc.tryAgent(input, history, onEvent);
        if (generation.current === mine && !ended) streamId.current = id;
        return true;
      } catch (e) {
        if (generation.current !== mine) return false;
        // Refused before any request: the question goes back to the box, unsent.
        setTurns((all) => all.filter((turn) => turn.id !== question.id));
        setStream(null);
        setFailure(ipc.toIpcError(e));
        return false;
      }
    },
    [turns],
  );

  const stop = useCallback(() => {
    setStream((s) => s && { ...s, stopping: true });
    stopStream();
  }, [stopStream]);

  const clear = useCallback(() => {
    stopStream();
    generation.current++;
    streamId.current = null;
    setTurns([]);
    setStream(null);
    setFailure(null);
  }, [stopStream]);

  return { turns, stream, failure, send, stop, clear, dismissFailure: () => setFailure(null) };
}
