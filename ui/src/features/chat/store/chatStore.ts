import { create } from "zustand";
import * as ipc from "../../../ipc";
import type {
  ActiveStream,
  Agent,
  ChatEvent,
  ChatEventHandler,
  ConversationDetail,
  ErrorCode,
  IpcError,
  Message,
  QueueReason,
} from "../../../ipc";
import { useConversationsStore } from "../../conversations/store/conversationsStore";

/** What a reply is waiting for before its first words; cleared by the first `delta`. */
export type StreamStatus =
  | { kind: "queued"; reason: QueueReason }
  /** The provider failed before any text; the next try starts at `retryAt` (unix ms). */
  | { kind: "retrying"; attempt: number; code: ErrorCode; message: string; retryAt: number }
  /** The stream was cut after some text; it is resumed from there at `retryAt` (unix ms). */
  | { kind: "resuming"; attempt: number; code: ErrorCode; message: string; retryAt: number }
  /** The request is out; no text yet since `since` (unix ms). */
  | { kind: "waiting"; since: number };

/** A reply being written. Lives only until `done` or `error`; the core owns the saved copy. */
export interface StreamState {
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
  /** The reply so far. */
  text: string;
  status: StreamStatus | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Stop was pressed; the core answers with `done` (state `cancelled`). */
  stopping: boolean;
}

export interface ChatState {
  currentId: string | null;
  detail: ConversationDetail | null;
  loadStatus: "idle" | "loading" | "ready" | "error";
  loadError: IpcError | null;
  /** Loading the messages older than those shown (scrolled to the top of the transcript). */
  olderStatus: "idle" | "loading" | "error";
  /** The agent the open conversation was started from: its greetings show while it is empty. */
  agent: Agent | null;
  /** At most one reply per conversation (the core enforces the same), keyed by conversation. */
  streams: Record<string, StreamState>;
  /** The error banner above the input. */
  error: IpcError | null;

  open: (id: string) => Promise<void>;
  /** Puts the page of messages before the oldest one shown in front of the transcript. */
  loadOlder: () => Promise<void>;
  close: () => void;
  /** Starts a conversation, from `agentId` when given. */
  newConversation: (agentId?: string) => Promise<void>;
  /** Sends `text` in the current conversation, creating one first if none is open. */
  send: (text: string) => Promise<boolean>;
  /** Replaces the last reply of the open conversation with a new one. */
  regenerate: () => Promise<boolean>;
  /** Goes on with the last reply of the open conversation, which ended early. */
  continueReply: () => Promise<boolean>;
  /** Changes a user message, drops everything after it and streams a new reply. */
  editAndResend: (message: Message, text: string) => Promise<boolean>;
  /** Stops the reply streaming in a conversation (the open one by default). */
  stop: (conversationId?: string) => Promise<void>;
  /** Follows a reply that was already streaming, e.g. one started before a reload. */
  attach: (stream: ActiveStream) => Promise<void>;
  /** After start-up or a reload: reopens the conversation that was open and re-attaches replies. */
  restore: () => Promise<void>;
  dismissError: () => void;
}

/** Kept for the tab's life only: a reload reopens it, a new window starts empty. */
const OPEN_KEY = "confab.openConversation";

function readOpenConversation(): string | null {
  try {
    return window.sessionStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

function rememberOpenConversation(id: string | null): void {
  try {
    if (id === null) window.sessionStorage.removeItem(OPEN_KEY);
    else window.sessionStorage.setItem(OPEN_KEY, id);
  } catch {
    // Without storage a reload simply starts with nothing open.
  }
}

/**
 * Puts `message` into the transcript. Messages after it are dropped: `started` of a
 * regenerate or an edit & resend brings the user message whose later replies the core has
 * just deleted.
 */
function withMessage(
  detail: ConversationDetail,
  message: Message,
  dropLater = false,
): ConversationDetail {
  // Replace by id: a reload during a stream can already contain the message an event brings.
  const messages = detail.messages.filter(
    (m) => m.id !== message.id && !(dropLater && m.seq > message.seq),
  );
  messages.push(message);
  messages.sort((a, b) => a.seq - b.seq);
  return { ...detail, messages };
}

/** `fresh` (the latest page) after the messages of `current` older than all of it. */
function withOlderKept(current: ConversationDetail, fresh: ConversationDetail): ConversationDetail {
  const firstFresh = fresh.messages[0]?.seq;
  if (firstFresh === undefined || !fresh.hasMore) return fresh;
  const older = current.messages.filter((m) => m.seq < firstFresh);
  if (older.length === 0) return fresh;
  return { ...fresh, messages: [...older, ...fresh.messages], hasMore: current.hasMore };
}

/** How many older messages one scroll to the top brings. */
export const OLDER_PAGE = 200;

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
    set((state) =>
      state.detail?.conversation.id === conversationId && state.detail.conversation.title === ""
        ? { detail: { ...state.detail, conversation: { ...state.detail.conversation, title } } }
        : {},
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

  function updateStream(conversationId: string, key: number, patch: Partial<StreamState>): void {
    set((state) => {
      const stream = state.streams[conversationId];
      if (stream?.key !== key) return {};
      return { streams: { ...state.streams, [conversationId]: { ...stream, ...patch } } };
    });
  }

  function endStream(conversationId: string, key: number): void {
    set((state) =>
      state.streams[conversationId]?.key === key
        ? { streams: without(state.streams, conversationId) }
        : {},
    );
  }

  async function cancel(conversationId: string, key: number, streamId: string): Promise<void> {
    try {
      await ipc.cancelStream(streamId);
    } catch (error) {
      const ipcError = ipc.toIpcError(error);
      // The reply ended on its own meanwhile; its `done` or `error` says how.
      if (ipcError.code === "not_found") return;
      updateStream(conversationId, key, { stopping: false });
      set({ error: ipcError });
    }
  }

  /** The id is known: keep it, and send a stop that was pressed before it arrived. */
  function adoptStreamId(conversationId: string, key: number, streamId: string): void {
    const stream = streamOf(conversationId, key);
    if (!stream || stream.streamId !== null) return;
    updateStream(conversationId, key, { streamId });
    if (stream.stopping) void cancel(conversationId, key, streamId);
  }

  function receive(conversationId: string, key: number, event: ChatEvent): void {
    // A title may come after `done`, when the stream entry is already gone.
    if (event.event === "title") {
      const { conversationId: id, title } = event.data;
      useConversationsStore.getState().setTitle(id, title);
      set((state) =>
        state.detail?.conversation.id === id
          ? { detail: { ...state.detail, conversation: { ...state.detail.conversation, title } } }
          : {},
      );
      return;
    }

    const stream = streamOf(conversationId, key);
    if (!stream) {
      // A reply the database could not take at first ends with `error` (saying it is kept
      // in memory), then with `done` once it is stored: show it then.
      if (event.event === "done") {
        const { message } = event.data;
        if (get().currentId === conversationId && get().detail !== null) {
          set((state) => ({
            detail: state.detail ? withMessage(state.detail, message) : state.detail,
          }));
        }
        refreshList();
      }
      // Anything else of a stream this window no longer tracks carries nothing to show.
      return;
    }
    const isCurrent = () => get().currentId === conversationId && get().detail !== null;

    switch (event.event) {
      case "started": {
        const { streamId, userMessage, text } = event.data;
        adoptStreamId(conversationId, key, streamId);
        // A continuation starts from the text of the reply it continues (dropped from the
        // transcript below until `done` brings it back, longer).
        updateStream(conversationId, key, { pendingUserText: null, replacesFromSeq: null, text });
        void refreshTitleIfUntitled(conversationId);
        if (isCurrent()) {
          set((state) => ({
            detail: state.detail ? withMessage(state.detail, userMessage, true) : state.detail,
          }));
        }
        return;
      }
      case "snapshot": {
        adoptStreamId(conversationId, key, event.data.streamId);
        // The text so far, in place of anything shown before: never appended twice.
        updateStream(conversationId, key, { text: event.data.text });
        return;
      }
      case "queued":
        updateStream(conversationId, key, {
          status: { kind: "queued", reason: event.data.reason },
        });
        return;
      case "retrying":
      case "resuming": {
        const { attempt, delayMs, code, message } = event.data;
        const kind = event.event;
        updateStream(conversationId, key, {
          status: { kind, attempt, code, message, retryAt: Date.now() + delayMs },
        });
        return;
      }
      case "heartbeat":
        updateStream(conversationId, key, {
          status: { kind: "waiting", since: Date.now() - event.data.waitedMs },
        });
        return;
      case "delta":
        updateStream(conversationId, key, { text: stream.text + event.data.text, status: null });
        return;
      case "usage":
        updateStream(conversationId, key, {
          usage: {
            promptTokens: event.data.promptTokens,
            completionTokens: event.data.completionTokens,
          },
        });
        return;
      case "done": {
        const { message } = event.data;
        endStream(conversationId, key);
        if (isCurrent()) {
          set((state) => ({
            detail: state.detail ? withMessage(state.detail, message) : state.detail,
          }));
        }
        refreshList();
        return;
      }
      case "error": {
        const { code, message } = event.data;
        endStream(conversationId, key);
        if (get().currentId === conversationId) {
          set({ error: new ipc.IpcError(code, message) });
          // The core saved what arrived (and the user message) before sending `error`.
          void refresh(conversationId);
        }
        refreshList();
        return;
      }
    }
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
    const stream: StreamState = {
      key,
      conversationId,
      streamId: null,
      pendingUserText: null,
      replacesFromSeq: null,
      text: "",
      status: null,
      usage: null,
      stopping: false,
      ...init,
    };
    set((state) => ({ error: null, streams: { ...state.streams, [conversationId]: stream } }));

    try {
      const streamId = await run((event) => receive(conversationId, key, event));
      adoptStreamId(conversationId, key, streamId);
      return true;
    } catch (error) {
      endStream(conversationId, key);
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
        const page = await ipc.listMessages(id, oldest.seq, OLDER_PAGE);
        const now = get().detail;
        if (now?.conversation.id !== id) return;
        const known = new Set(now.messages.map((m) => m.id));
        set({
          olderStatus: "idle",
          detail: {
            ...now,
            messages: [...page.messages.filter((m) => !known.has(m.id)), ...now.messages],
            hasMore: page.hasMore,
          },
        });
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

    send: async (rawText) => {
      const text = rawText.trim();
      if (text === "") return false;

      let id = get().currentId;
      if (id === null) {
        await get().newConversation();
        id = get().currentId;
        if (id === null) return false;
      }
      const conversationId = id;
      return begin(conversationId, { origin: "send", pendingUserText: text }, (onEvent) =>
        ipc.sendMessage(conversationId, text, onEvent),
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
      return begin(conversationId, { origin: "continue", replacesFromSeq: last.seq }, (onEvent) =>
        ipc.continueReply(conversationId, onEvent),
      );
    },

    editAndResend: async (message, rawText) => {
      const text = rawText.trim();
      if (text === "" || message.role !== "user") return false;
      // The message itself stays (its editor shows the new text until `started` brings it).
      return begin(
        message.conversationId,
        { origin: "edit", replacesFromSeq: message.seq + 1 },
        (onEvent) => ipc.editAndResend(message.id, text, onEvent),
      );
    },

    stop: async (conversationId = get().currentId ?? undefined) => {
      if (conversationId === undefined) return;
      const stream = get().streams[conversationId];
      if (!stream || stream.stopping) return;
      updateStream(conversationId, stream.key, { stopping: true });
      // Without an id yet, the stop is sent as soon as the id arrives.
      if (stream.streamId !== null) await cancel(conversationId, stream.key, stream.streamId);
    },

    attach: async (active) => {
      const { conversationId, streamId } = active;
      if (get().streams[conversationId]) return;
      const key = ++nextKey;
      set((state) => ({
        streams: {
          ...state.streams,
          [conversationId]: {
            key,
            conversationId,
            origin: "attach",
            streamId,
            pendingUserText: null,
            replacesFromSeq: null,
            text: "",
            status: null,
            usage: null,
            stopping: false,
          },
        },
      }));
      try {
        await ipc.attachStream(streamId, (event) => receive(conversationId, key, event));
      } catch (error) {
        endStream(conversationId, key);
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
  };
});

/** The reply streaming into the open conversation, if any. */
export function selectCurrentStream(state: ChatState): StreamState | null {
  return state.currentId === null ? null : (state.streams[state.currentId] ?? null);
}
