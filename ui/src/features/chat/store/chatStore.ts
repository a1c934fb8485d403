/**
 * The open conversation and the replies streaming in this window: a zustand shell over the
 * stream state machine (`streamMachine.ts`) and the transcript functions (`transcript.ts`).
 * It owns the calls to the core and carries out what each stream step asks for.
 */
import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { ActiveStream, ChatEvent, ChatEventHandler, ConversationDetail } from "../../../ipc";
import type { ChatState } from "./chatState";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { readOpenConversation, rememberOpenConversation } from "./openConversation";
import {
  adoptStreamId,
  newStream,
  requestStop,
  stopFailed,
  streamStep,
  type StreamEffect,
  type StreamState,
  type StreamStep,
} from "./streamMachine";
import {
  OLDER_PAGE,
  withMessage,
  withOlderKept,
  withOlderPage,
  withReplaced,
  withTitle,
  withoutMessage,
} from "./transcript";
import { finishedSteps } from "./toolSteps";

export type { ChatState } from "./chatState";
export type { StreamState, StreamStatus } from "./streamMachine";
export { OLDER_PAGE } from "./transcript";

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

let nextKey = 0;

export const useChatStore = create<ChatState>()((set, get) => {
  /** Re-reads a conversation without showing a loading state (after a reply ends). */
  async function refresh(id: string): Promise<void> {
    try {
      const fresh = await ipc.getConversation(id);
      const current = get().detail;
      if (get().currentId !== id) return;
      // Older pages the person has scrolled up to stay in front of the latest page.
      const detail = current?.conversation.id === id ? withOlderKept(current, fresh) : fresh;
      set({ detail, loadStatus: "ready", loadError: null });
    } catch {
      // The banner already shows why the reply ended; the list refresh below reports
      // a core that has gone away.
    }
  }

  function refreshList(): void {
    void useConversationsStore.getState().load({ quiet: true });
  }

  /** Changes the transcript of `conversationId` if that is the one open and loaded. */
  function editTranscript(
    conversationId: string,
    change: (detail: ConversationDetail) => ConversationDetail,
  ): void {
    set((state) =>
      state.detail?.conversation.id === conversationId ? { detail: change(state.detail) } : {},
    );
  }

  /**
   * The core names an untitled conversation from its first words when the message is sent;
   * fetch that title so the list does not say "New conversation" until the reply ends.
   */
  async function refreshTitleIfUntitled(conversationId: string): Promise<void> {
    const listed = useConversationsStore.getState().items.find((c) => c.id === conversationId);
    // Not listed: the list has not loaded yet and will bring the title when it does.
    if (!listed || listed.title.trim() !== "") return;
    await useConversationsStore.getState().load({ quiet: true });
    const title = useConversationsStore
      .getState()
      .items.find((c) => c.id === conversationId)
      ?.title.trim();
    if (!title) return;
    editTranscript(conversationId, (detail) =>
      detail.conversation.title === "" ? withTitle(detail, title) : detail,
    );
  }

  /** Loads the agent of the open conversation; without one, no greetings are shown. */
  async function loadAgent(conversationId: string): Promise<void> {
    try {
      const agent = await ipc.getConversationAgent(conversationId);
      if (get().currentId === conversationId) set({ agent });
    } catch {
      // Greetings are decoration: the conversation itself still opens and works.
    }
  }

  /** The stream entry `key` names, if it is still the one running in `conversationId`. */
  function streamOf(conversationId: string, key: number): StreamState | null {
    const stream = get().streams[conversationId];
    return stream?.key === key ? stream : null;
  }

  /**
   * Stores the entry a step left (if `key` is still the conversation's stream) and carries
   * out its effects; resolves once a stop it sends has been answered.
   */
  async function apply(conversationId: string, key: number, step: StreamStep): Promise<void> {
    set((state) => {
      if (state.streams[conversationId]?.key !== key) return {};
      const streams = step.stream
        ? { ...state.streams, [conversationId]: step.stream }
        : without(state.streams, conversationId);
      return { streams };
    });
    await Promise.all(step.effects.map((effect) => perform(conversationId, key, effect)));
  }

  async function perform(conversationId: string, key: number, effect: StreamEffect) {
    switch (effect.kind) {
      case "show":
        editTranscript(conversationId, (d) => withMessage(d, effect.message, effect.dropLater));
        return;
      case "title":
        useConversationsStore.getState().setTitle(effect.conversationId, effect.title);
        editTranscript(effect.conversationId, (detail) => withTitle(detail, effect.title));
        return;
      case "fetch_title":
        void refreshTitleIfUntitled(conversationId);
        return;
      case "fail":
        if (get().currentId === conversationId) {
          set({ error: new ipc.IpcError(effect.code, effect.message) });
          // The core saved what arrived (and the user message) before sending `error`.
          void refresh(conversationId);
        }
        return;
      case "cancel":
        await cancel(conversationId, key, effect.streamId);
        return;
      case "refresh_list":
        refreshList();
        return;
    }
  }

  async function cancel(conversationId: string, key: number, streamId: string): Promise<void> {
    try {
      await ipc.cancelStream(streamId);
    } catch (error) {
      const ipcError = ipc.toIpcError(error);
      // The reply ended on its own meanwhile; its `done` or `error` says how.
      if (ipcError.code === "not_found") return;
      const stream = streamOf(conversationId, key);
      if (stream) await apply(conversationId, key, { stream: stopFailed(stream), effects: [] });
      set({ error: ipcError });
    }
  }

  function receive(conversationId: string, key: number, event: ChatEvent): void {
    void apply(conversationId, key, streamStep(streamOf(conversationId, key), event, Date.now()));
  }

  /**
   * Starts a reply in `conversationId` with `run` (one of the streaming commands) and
   * tracks it until it ends. False when the conversation is busy or the core refused.
   */
  async function begin(
    conversationId: string,
    init: Pick<StreamState, "origin"> & Partial<StreamState>,
    run: (onEvent: ChatEventHandler) => Promise<string>,
  ): Promise<boolean> {
    if (get().streams[conversationId]) return false;
    const key = ++nextKey;
    const stream = newStream(key, conversationId, init);
    set((state) => ({ error: null, streams: { ...state.streams, [conversationId]: stream } }));

    try {
      const streamId = await run((event) => receive(conversationId, key, event));
      const current = streamOf(conversationId, key);
      if (current) void apply(conversationId, key, adoptStreamId(current, streamId));
      return true;
    } catch (error) {
      void apply(conversationId, key, { stream: null, effects: [] });
      set({ error: ipc.toIpcError(error) });
      return false;
    }
  }

  /** Follows the conversation's running reply, if the core has one this window does not track. */
  async function attachIfStreaming(conversationId: string): Promise<void> {
    if (get().streams[conversationId]) return;
    let active: ActiveStream[];
    try {
      active = await ipc.listActiveStreams();
    } catch {
      return; // The conversation itself failed or will fail to load and says why.
    }
    const running = active.find((s) => s.conversationId === conversationId);
    if (running) await get().attach(running);
  }

  return {
    currentId: null,
    detail: null,
    loadStatus: "idle",
    olderStatus: "idle",
    loadError: null,
    agent: null,
    streams: {},
    error: null,

    open: async (id) => {
      if (get().currentId === id && get().loadStatus === "ready") return;
      set({
        currentId: id,
        detail: null,
        loadStatus: "loading",
        olderStatus: "idle",
        loadError: null,
        error: null,
        agent: null,
      });
      rememberOpenConversation(id);
      const attaching = attachIfStreaming(id);
      void loadAgent(id);
      try {
        const detail = await ipc.getConversation(id);
        // A later click wins over a slow earlier load.
        if (get().currentId === id) set({ detail, loadStatus: "ready" });
      } catch (error) {
        if (get().currentId === id) set({ loadStatus: "error", loadError: ipc.toIpcError(error) });
      }
      await attaching;
    },

    loadOlder: async () => {
      const { detail, olderStatus } = get();
      const oldest = detail?.messages[0];
      if (!detail?.hasMore || !oldest || olderStatus === "loading") return;
      const id = detail.conversation.id;
      set({ olderStatus: "loading" });
      try {
        const page = await ipc.listMessages(id, oldest.id, OLDER_PAGE);
        const now = get().detail;
        if (now?.conversation.id !== id) return;
        set({ olderStatus: "idle", detail: withOlderPage(now, page) });
      } catch {
        if (get().detail?.conversation.id === id) set({ olderStatus: "error" });
      }
    },

    close: () => {
      rememberOpenConversation(null);
      set({ currentId: null, detail: null, loadStatus: "idle", loadError: null, agent: null });
    },

    newConversation: async (agentId) => {
      try {
        const conversation = await useConversationsStore.getState().create(agentId);
        rememberOpenConversation(conversation.id);
        set({
          currentId: conversation.id,
          detail: { conversation, messages: [], hasMore: false },
          loadStatus: "ready",
          loadError: null,
          error: null,
          agent: null,
        });
        if (agentId !== undefined) await loadAgent(conversation.id);
      } catch (error) {
        set({ error: ipc.toIpcError(error) });
      }
    },

    send: async (rawText, attachments = []) => {
      const text = rawText.trim();
      if (text === "" && attachments.length === 0) return false;

      let id = get().currentId;
      if (id === null) {
        await get().newConversation();
        id = get().currentId;
        if (id === null) return false;
      }
      const conversationId = id;
      // Until the core stores it, a message of attachments only shows their names.
      const pendingUserText = text || attachments.map((a) => a.name ?? "").join(", ");
      return begin(conversationId, { origin: "send", pendingUserText }, (onEvent) =>
        ipc.sendMessage(conversationId, text, attachments, onEvent),
      );
    },

    regenerate: async () => {
      const { currentId: conversationId, detail } = get();
      if (conversationId === null || detail?.conversation.id !== conversationId) return false;
      const last = detail.messages.at(-1);
      return begin(
        conversationId,
        { origin: "regenerate", replacesFromSeq: last?.role === "assistant" ? last.seq : null },
        (onEvent) => ipc.regenerate(conversationId, onEvent),
      );
    },

    continueReply: async () => {
      const { currentId: conversationId, detail } = get();
      if (conversationId === null || detail?.conversation.id !== conversationId) return false;
      const last = detail.messages.at(-1);
      if (last?.role !== "assistant") return false;
      // The reply's tool steps stay; `started` brings the text after them.
      const init = { origin: "continue" as const, replacesFromSeq: last.seq };
      return begin(conversationId, { ...init, steps: finishedSteps(last.parts) }, (onEvent) =>
        ipc.continueReply(conversationId, onEvent),
      );
    },

    editAndResend: async (message, rawText, attachments = []) => {
      const text = rawText.trim();
      if ((text === "" && attachments.length === 0) || message.role !== "user") return false;
      // The message itself stays (its editor shows the new text until `started` brings it).
      return begin(
        message.conversationId,
        { origin: "edit", replacesFromSeq: message.seq + 1 },
        (onEvent) => ipc.editAndResend(message.id, text, attachments, onEvent),
      );
    },

    stop: async (conversationId = get().currentId ?? undefined) => {
      if (conversationId === undefined) return;
      const stream = get().streams[conversationId];
      if (stream) await apply(conversationId, stream.key, requestStop(stream));
    },

    attach: async (active) => {
      const { conversationId, streamId } = active;
      if (get().streams[conversationId]) return;
      const key = ++nextKey;
      const stream = newStream(key, conversationId, { origin: "attach", streamId });
      set((state) => ({ streams: { ...state.streams, [conversationId]: stream } }));
      try {
        await ipc.attachStream(streamId, (event) => receive(conversationId, key, event));
      } catch (error) {
        void apply(conversationId, key, { stream: null, effects: [] });
        const ipcError = ipc.toIpcError(error);
        // `not_found`: the reply ended between listing and attaching, and is stored.
        if (ipcError.code !== "not_found" && get().currentId === conversationId) {
          set({ error: ipcError });
        }
        if (get().currentId === conversationId) void refresh(conversationId);
        refreshList();
      }
    },

    restore: async () => {
      const saved = readOpenConversation();
      const opening = saved !== null && get().currentId === null ? get().open(saved) : null;
      let active: ActiveStream[] = [];
      try {
        active = await ipc.listActiveStreams();
      } catch {
        // No core: the conversation list shows why.
      }
      await Promise.all(active.map((stream) => get().attach(stream)));
      await opening;
      // Deleted meanwhile (or another database): start with nothing open instead of an error.
      const { currentId, loadError } = get();
      if (saved !== null && currentId === saved && loadError?.code === "not_found") get().close();
    },

    dismissError: () => set({ error: null }),

    replaceMessage: (message) =>
      editTranscript(message.conversationId, (detail) => withReplaced(detail, message)),

    // What hung below it went too; the core may now show another version there.
    removeMessage: (message) => {
      editTranscript(message.conversationId, (detail) => withoutMessage(detail, message));
      if (get().currentId === message.conversationId) void refresh(message.conversationId);
    },
  };
});

/** The reply streaming into the open conversation, if any. */
export function selectCurrentStream(state: ChatState): StreamState | null {
  return state.currentId === null ? null : (state.streams[state.currentId] ?? null);
}
