import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { ChatEvent, ConversationDetail, IpcError, Message } from "../../../ipc";
import { useConversationsStore } from "../../conversations/store/conversationsStore";

/** A reply being written. Lives only until `done` or `error`; the core owns the saved copy. */
export interface StreamState {
  conversationId: string;
  /** Known once `started` arrives (or the command returns, whichever is first). */
  streamId: string | null;
  /** The text the person sent, shown until `started` brings the stored user message. */
  pendingUserText: string | null;
  /** The reply so far. */
  text: string;
}

export interface ChatState {
  currentId: string | null;
  detail: ConversationDetail | null;
  loadStatus: "idle" | "loading" | "ready" | "error";
  loadError: IpcError | null;
  /** At most one reply per conversation (the core enforces the same). */
  streams: Record<string, StreamState>;
  /** The error banner above the input. */
  error: IpcError | null;

  open: (id: string) => Promise<void>;
  close: () => void;
  newConversation: () => Promise<void>;
  /** Sends `text` in the current conversation, creating one first if none is open. */
  send: (text: string) => Promise<boolean>;
  /** Applies one event of the reply streaming into `conversationId`. */
  receive: (conversationId: string, event: ChatEvent) => void;
  dismissError: () => void;
}

function withMessage(detail: ConversationDetail, message: Message): ConversationDetail {
  // Replace by id: a reload during a stream can already contain the message an event brings.
  const messages = detail.messages.filter((m) => m.id !== message.id);
  messages.push(message);
  messages.sort((a, b) => a.seq - b.seq);
  return { ...detail, messages };
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

export const useChatStore = create<ChatState>()((set, get) => {
  /** Re-reads a conversation without showing a loading state (after a reply ends). */
  async function refresh(id: string): Promise<void> {
    try {
      const detail = await ipc.getConversation(id);
      if (get().currentId === id) set({ detail, loadStatus: "ready", loadError: null });
    } catch {
      // The banner already shows why the reply ended; the list refresh below reports
      // a core that has gone away.
    }
  }

  function refreshList(): void {
    void useConversationsStore.getState().load({ quiet: true });
  }

  return {
    currentId: null,
    detail: null,
    loadStatus: "idle",
    loadError: null,
    streams: {},
    error: null,

    open: async (id) => {
      if (get().currentId === id && get().loadStatus === "ready") return;
      set({ currentId: id, detail: null, loadStatus: "loading", loadError: null, error: null });
      try {
        const detail = await ipc.getConversation(id);
        // A later click wins over a slow earlier load.
        if (get().currentId === id) set({ detail, loadStatus: "ready" });
      } catch (error) {
        if (get().currentId === id) set({ loadStatus: "error", loadError: ipc.toIpcError(error) });
      }
    },

    close: () => set({ currentId: null, detail: null, loadStatus: "idle", loadError: null }),

    newConversation: async () => {
      try {
        const conversation = await useConversationsStore.getState().create();
        set({
          currentId: conversation.id,
          detail: { conversation, messages: [], hasMore: false },
          loadStatus: "ready",
          loadError: null,
          error: null,
        });
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
      if (get().streams[id]) return false;

      const conversationId = id;
      set((state) => ({
        error: null,
        streams: {
          ...state.streams,
          [conversationId]: { conversationId, streamId: null, pendingUserText: text, text: "" },
        },
      }));

      try {
        const streamId = await ipc.sendMessage(conversationId, text, (event) =>
          get().receive(conversationId, event),
        );
        set((state) => {
          const stream = state.streams[conversationId];
          if (!stream || stream.streamId !== null) return {};
          return { streams: { ...state.streams, [conversationId]: { ...stream, streamId } } };
        });
        return true;
      } catch (error) {
        set((state) => ({
          streams: without(state.streams, conversationId),
          error: ipc.toIpcError(error),
        }));
        return false;
      }
    },

    receive: (conversationId, event) => {
      const stream = get().streams[conversationId];
      // Events of a stream this window no longer tracks (it ended) carry nothing to show.
      if (!stream) return;
      const isCurrent = () => get().currentId === conversationId && get().detail !== null;

      switch (event.event) {
        case "started": {
          const { streamId, userMessage } = event.data;
          set((state) => ({
            streams: {
              ...state.streams,
              [conversationId]: { ...stream, streamId, pendingUserText: null },
            },
            detail:
              isCurrent() && state.detail ? withMessage(state.detail, userMessage) : state.detail,
          }));
          return;
        }
        case "delta": {
          set((state) => ({
            streams: {
              ...state.streams,
              [conversationId]: { ...stream, text: stream.text + event.data.text },
            },
          }));
          return;
        }
        case "done": {
          const { message } = event.data;
          set((state) => ({
            streams: without(state.streams, conversationId),
            detail: isCurrent() && state.detail ? withMessage(state.detail, message) : state.detail,
          }));
          refreshList();
          return;
        }
        case "error": {
          const { code, message } = event.data;
          set((state) => ({
            streams: without(state.streams, conversationId),
            error:
              state.currentId === conversationId ? new ipc.IpcError(code, message) : state.error,
          }));
          // The core saved what arrived (and the user message) before sending `error`.
          if (get().currentId === conversationId) void refresh(conversationId);
          refreshList();
          return;
        }
        // Not shown yet.
        case "snapshot":
        case "queued":
        case "retrying":
        case "heartbeat":
        case "usage":
        case "title":
          return;
      }
    },

    dismissError: () => set({ error: null }),
  };
});

/** The reply streaming into the open conversation, if any. */
export function selectCurrentStream(state: ChatState): StreamState | null {
  return state.currentId === null ? null : (state.streams[state.currentId] ?? null);
}
