/**
 * The fake core's reply streams (see `fakeCore.ts`): starting, continuing, stopping and
 * re-attaching to replies that `fakePlayer.ts` plays.
 */
import { lineFields } from "./lineMessage";
import type { Channel } from "@tauri-apps/api/core";
import type { ActiveStream, Agent, ChatEvent, Message, Part } from "../ipc";
import { createPlayer, type PlayerWorld } from "./fakePlayer";
import { problem, refuse } from "./fakeProblems";
import { createTrials } from "./fakeTrial";
import { channelSender, rejectWith as fail, type CoreHandlers } from "./typedCore";

/** Why no reply can start now (no default provider, or no key for it); null when one can. */
export type Readiness = () => "no_provider" | "no_api_key" | null;

/** The attachments as stored for a message in the conversation, or the core's refusal. */
export type AcceptAttachments = (
  conversationId: string,
  attachments: Part[],
) => Part[] | Promise<never>;

/** The tools of the conversation's agent, when it has some and they are on there. */
export type ToolsOf = (conversationId: string) => Agent["tools"] | null;

/** What a reply in the conversation retrieves from knowledge bases before it is written. */
export type RetrievedOf = (conversationId: string) => Part[];

export function createStreams(
  world: PlayerWorld,
  readiness: Readiness,
  accept: AcceptAttachments = () => [],
  toolsOf: ToolsOf = () => null,
  retrievedOf: RetrievedOf = () => [],
) {
  const { conversations, messages, nextSeq, reply, params } = world;
  const { live, run } = createPlayer(world);
  const trials = createTrials(world.chinese);

  /**
   * `target` is the conversation, or for `edit` the edited message; `text` what was typed
   * and `attachments` what was attached.
   */
  function startReply(
    kind: "send" | "regenerate" | "continue" | "edit",
    target: string,
    text: string,
    onEvent: Channel<ChatEvent>,
    attachments: Part[] = [],
  ): Promise<string> | string {
    const notReady = readiness();
    if (notReady === "no_provider") return fail(notReady, "no provider is set up");
    if (notReady === "no_api_key") return fail(notReady, "no API key in the keychain");
    const edited =
      kind === "edit" ? [...messages.values()].flat().find((m) => m.id === target) : undefined;
    const conversationId = kind === "edit" ? edited?.conversationId : target;
    if (conversationId === undefined) return fail("not_found", "no such message");
    if ([...live.values()].some((s) => s.conversationId === conversationId)) {
      return fail("busy", "a reply is already streaming in this conversation");
    }
    const stored = accept(conversationId, attachments);
    if (!Array.isArray(stored)) return stored;
    const parts: Part[] = [...(text ? [{ type: "text" as const, text }] : []), ...stored];
    const list = messages.get(conversationId) ?? [];
    let userMessage: Message;
    let continues: Message | null = null;
    if (kind === "continue") {
      const last = list.at(-1);
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      if (
        last?.role !== "assistant" ||
        !["partial", "cancelled"].includes(last.state) ||
        last.content === "" ||
        !lastUser
      ) {
        return refuse(fail, problem("", "nothing_to_continue"));
      }
      continues = last;
      userMessage = lastUser;
      messages.set(conversationId, list.slice(0, -1));
    } else if (edited) {
      userMessage = { ...edited, content: text, parts };
      messages.set(conversationId, [...list.filter((m) => m.seq < edited.seq), userMessage]);
    } else if (kind === "regenerate") {
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      if (!lastUser) return refuse(fail, problem("", "nothing_to_answer"));
      userMessage = lastUser;
      messages.set(
        conversationId,
        list.filter((m) => m.seq <= lastUser.seq),
      );
    } else {
      const n = nextSeq();
      userMessage = {
        id: `m${n}`,
        conversationId,
        seq: n,
        role: "user",
        content: text,
        createdAt: Date.now(),
        state: "complete",
        inContext: true,
        ...lineFields(),
        parts,
        meta: {},
      };
      messages.set(conversationId, [...list, userMessage]);
    }
    const conversation = conversations.find((c) => c.id === conversationId);
    const firstExchange = conversation?.title === "";
    if (conversation && firstExchange) conversation.title = userMessage.content.slice(0, 40);

    const sofar = continues?.content ?? "";
    const emit = channelSender(onEvent).send;
    const stream = run(conversationId, emit, firstExchange, sofar, toolsOf(conversationId));
    stream.listeners.forEach((emit) =>
      emit({
        event: "started",
        data: {
          streamId: stream.id,
          conversationId,
          userMessage,
          continuesMessageId: continues?.id ?? null,
          text: sofar,
        },
      }),
    );
    const retrieved = retrievedOf(conversationId);
    if (retrieved.length > 0) {
      stream.steps.unshift(...retrieved);
      stream.listeners.forEach((emit) => emit({ event: "retrieved", data: { parts: retrieved } }));
    }
    return stream.id;
  }

  // `reload`: a reply was streaming in the newest conversation when the page (re)loaded.
  if (params.has("reload")) {
    const newest = [...conversations].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (newest) run(newest.id, null, false, reply.slice(0, Math.floor(reply.length / 2)));
  }

  const handlers = {
    sendMessage: (conversationId, text, attachments, onEvent) =>
      startReply("send", conversationId, text, onEvent, attachments),
    regenerate: (conversationId, onEvent) => startReply("regenerate", conversationId, "", onEvent),
    continueReply: (conversationId, onEvent) => startReply("continue", conversationId, "", onEvent),
    editAndResend: (messageId, text, attachments, onEvent) =>
      startReply("edit", messageId, text, onEvent, attachments),
    tryAgent: trials.start,
    cancelStream: (streamId) => {
      if (trials.cancel(streamId)) return null;
      const stream = live.get(streamId);
      if (!stream) return fail("not_found", `no stream ${streamId}`);
      stream.stop();
      return null;
    },
    answerToolCall: (streamId, callId, decision) => {
      const answer = live.get(streamId)?.waiting.get(callId);
      if (!answer) return fail("not_found", `no tool call ${callId} waits`);
      answer(decision);
      return null;
    },
    attachStream: (streamId, onEvent) => {
      const stream = live.get(streamId);
      if (!stream) return fail("not_found", `no stream ${streamId}`);
      const emit = channelSender(onEvent).send;
      emit({
        event: "snapshot",
        data: {
          streamId: stream.id,
          conversationId: stream.conversationId,
          text: stream.text,
          reasoning: "",
          steps: stream.steps,
          awaitingApproval: [...stream.waiting.keys()],
        },
      });
      stream.listeners.push(emit);
      return null;
    },
    listActiveStreams: () =>
      [...live.values()].map((s): ActiveStream => ({
        streamId: s.id,
        conversationId: s.conversationId,
        startedAt: s.startedAt,
        receivedBytes: new TextEncoder().encode(s.text).length,
      })),
  } satisfies Partial<CoreHandlers>;

  const isStreaming = (conversationId: string) =>
    [...live.values()].some((s) => s.conversationId === conversationId);

  return { handlers, isStreaming };
}
