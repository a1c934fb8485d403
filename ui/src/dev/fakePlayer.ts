/**
 * How the fake core plays a reply (see `fakeCore.ts`): the text arrives delta by delta and
 * the reply ends as the URL says (`Behaviour`), stored as the core would store it.
 */
import { lineFields } from "./lineMessage";
import type {
  Agent,
  ChatEvent,
  Conversation,
  Message,
  MessageMeta,
  Part,
  ToolDecision,
} from "../ipc";
import { playToolStep } from "./fakeTools";

/**
 * How replies behave, from the URL: `queued` / `ratelimit` wait for a slot or the rate
 * limit, `retrying` waits to retry after a 429, `waiting` never gets its first words,
 * `slow` writes for a minute (time to press Stop), `failing` fails before any text,
 * `resuming` loses the connection halfway and resumes, `toolong` stops at the size limit.
 */
const BEHAVIOURS = [
  "queued",
  "ratelimit",
  "retrying",
  "waiting",
  "slow",
  "failing",
  "resuming",
  "toolong",
] as const;
type Behaviour = "normal" | (typeof BEHAVIOURS)[number];

function behaviourOf(params: URLSearchParams): Behaviour {
  return BEHAVIOURS.find((b) => params.has(b)) ?? "normal";
}

export type Emit = (event: ChatEvent) => void;

/** A reply being written: who listens, the text so far, and how to stop it. */
export interface LiveStream {
  id: string;
  conversationId: string;
  startedAt: number;
  /** The finished steps: text before a tool call, the calls and their results. */
  steps: Part[];
  /** The text after them. */
  text: string;
  /** Calls waiting for the person, each with what an answer does. */
  waiting: Map<string, (decision: ToolDecision) => void>;
  listeners: Emit[];
  stop: () => void;
}

/** What a played reply reads and writes. */
export interface PlayerWorld {
  conversations: Conversation[];
  messages: Map<string, Message[]>;
  chinese: boolean;
  params: URLSearchParams;
  /** The reply every stream writes. */
  reply: string;
  /** The next id number, shared with everything else the fake creates. */
  nextSeq: () => number;
}

export function createPlayer({
  conversations,
  messages,
  chinese,
  params,
  reply,
  nextSeq,
}: PlayerWorld) {
  const behaviour = behaviourOf(params);
  // `rate`: deltas a second (the reply split evenly over 5 s of them at the default 200).
  const rate = Math.min(Math.max(Number(params.get("rate")) || 0, 0), 1000);
  const live = new Map<string, LiveStream>();

  /**
   * Plays a reply according to `behaviour`; `text` is where an attached reply starts. With
   * `tools` (the conversation's agent has some), a normal reply runs a tool first.
   */
  function run(
    conversationId: string,
    emit: Emit | null,
    firstExchange = false,
    text = "",
    tools: Agent["tools"] | null = null,
  ) {
    const startedAt = Date.now();
    const timers: number[] = [];
    const stream: LiveStream = {
      id: `stream-${nextSeq()}`,
      conversationId,
      startedAt,
      steps: [],
      text,
      waiting: new Map(),
      listeners: emit ? [emit] : [],
      stop: () => finish("cancelled"),
    };
    live.set(stream.id, stream);
    const send = (event: ChatEvent) => stream.listeners.forEach((e) => e(event));
    const later = (ms: number, f: () => void) => timers.push(window.setTimeout(f, ms));
    const every = (ms: number, f: () => void) => timers.push(window.setInterval(f, ms));

    function finish(state: Message["state"], meta: MessageMeta = {}) {
      timers.forEach((t) => window.clearTimeout(t));
      live.delete(stream.id);
      // Calls still waiting are answered, as the core answers them when a reply stops.
      for (const callId of stream.waiting.keys()) {
        stream.steps.push({ type: "toolResult", callId, content: "Cancelled.", isError: true });
      }
      const parts: Part[] = [
        ...stream.steps,
        ...(stream.text ? [{ type: "text" as const, text: stream.text }] : []),
      ];
      const content = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
      const n = nextSeq();
      const message: Message = {
        id: `m${n}`,
        conversationId,
        seq: n,
        role: "assistant",
        content,
        createdAt: Date.now(),
        state: state === "cancelled" || content !== "" ? state : "error",
        inContext: true,
        ...lineFields(),
        parts,
        meta: {
          model: "gpt-4o-mini",
          totalMs: Date.now() - startedAt,
          ...(state === "cancelled" ? { reason: "cancelled" } : {}),
          ...meta,
        },
      };
      messages.get(conversationId)?.push(message);
      const conversation = conversations.find((c) => c.id === conversationId);
      if (conversation) conversation.updatedAt = Date.now();
      if (meta.errorCode) {
        send({
          event: "error",
          data: {
            code: meta.errorCode,
            message: meta.errorMessage ?? "",
            partialSaved: content !== "",
          },
        });
      } else {
        send({ event: "done", data: { message } });
      }
      if (firstExchange && state === "complete" && conversation) {
        later(600, () => {
          conversation.title = chinese ? "流式回复演示" : "A streamed reply";
          send({ event: "title", data: { conversationId, title: conversation.title } });
        });
      }
    }

    /** Writes the reply `chunk` characters every `everyMs`; `cut` is called once at half-way. */
    function write(chunk: number, everyMs: number, cut?: () => boolean) {
      let paused = false;
      every(everyMs, () => {
        if (paused) return;
        if (cut && stream.text.length >= reply.length / 2) {
          paused = cut();
          cut = undefined;
          if (paused) later(1500, () => (paused = false));
          return;
        }
        const rest = reply.length > stream.text.length ? reply.slice(stream.text.length) : "";
        if (rest === "") {
          finish("complete", {
            promptTokens: 38,
            completionTokens: 42,
            firstTokenMs: 380,
            finishReason: "stop",
          });
          return;
        }
        const piece = rest.slice(0, chunk);
        stream.text += piece;
        send({ event: "delta", data: { text: piece } });
      });
    }

    /**
     * `perSecond` deltas a second on average, by the clock: a tick that comes late (the page
     * was busy) sends every delta it owes, each as its own event, as a fast provider would.
     */
    function writePaced(perSecond: number) {
      const chunk = Math.max(1, Math.ceil(reply.length / (perSecond * 5)));
      const start = performance.now();
      let sent = 0;
      every(5, () => {
        const owed = Math.floor(((performance.now() - start) / 1000) * perSecond);
        for (; sent < owed && stream.text.length < reply.length; sent++) {
          const piece = reply.slice(stream.text.length, stream.text.length + chunk);
          stream.text += piece;
          send({ event: "delta", data: { text: piece } });
        }
        if (stream.text.length >= reply.length) finish("complete", { finishReason: "stop" });
      });
    }

    switch (behaviour) {
      case "queued":
      case "ratelimit":
        later(80, () =>
          send({
            event: "queued",
            data: { reason: behaviour === "queued" ? "concurrency" : "rate_limit" },
          }),
        );
        break;
      case "retrying":
        later(80, () =>
          send({
            event: "retrying",
            data: { attempt: 1, delayMs: 8000, code: "rate_limited", message: "HTTP 429" },
          }),
        );
        break;
      case "waiting": {
        let waited = 12_000;
        later(80, () => send({ event: "heartbeat", data: { waitedMs: waited } }));
        every(3000, () => {
          waited += 3000;
          send({ event: "heartbeat", data: { waitedMs: waited } });
        });
        break;
      }
      case "failing":
        later(900, () =>
          finish("error", {
            reason: "provider_error",
            errorCode: "model_not_found",
            errorMessage: "HTTP 404: The model `gpt-5-nano` does not exist",
          }),
        );
        break;
      case "slow":
        write(2, 400);
        break;
      case "normal":
        if (tools) playToolStep({ stream, send, later, chinese }, tools, () => write(6, 40));
        else if (rate > 0) writePaced(rate);
        else write(6, 40);
        break;
      case "resuming":
        // The connection drops half-way; the engine resumes it from the text so far.
        write(6, 40, () => {
          send({
            event: "resuming",
            data: { attempt: 1, delayMs: 1500, code: "network", message: "connection reset" },
          });
          return true;
        });
        break;
      case "toolong":
        write(6, 40, () => {
          finish("partial", { reason: "too_long", finishReason: null });
          return false;
        });
        break;
    }
    return stream;
  }

  return { live, run };
}
