import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { Conversation, IpcError } from "../../../ipc";

/** How many conversations the sidebar asks for; paging comes with search. */
export const PAGE_SIZE = 200;

export interface ConversationsState {
  items: Conversation[];
  status: "idle" | "loading" | "ready" | "error";
  error: IpcError | null;
  /**
   * Fetches the list. `quiet` keeps what is shown while refreshing (after a reply), so the
   * sidebar does not flash a loading state.
   */
  load: (options?: { quiet?: boolean }) => Promise<void>;
  /** More conversations than those loaded may exist (the last page was full). */
  hasMore: boolean;
  /** Appends the next page (the list scrolled near its end). A failure is retried later. */
  loadMore: () => Promise<void>;
  /** Creates a conversation (from an agent, if given) and puts it first. Throws `IpcError`. */
  create: (agentId?: string) => Promise<Conversation>;
  /** Deletes a conversation. Throws `IpcError`; the list is left as it was on failure. */
  remove: (id: string) => Promise<void>;
  /** Which list is shown: the normal one or the archive. */
  archived: boolean;
  /** Switches between the normal list and the archive, and loads it. */
  showArchived: (archived: boolean) => Promise<void>;
  /** Renames a conversation. Throws `IpcError` (an empty title is `invalid_input`). */
  rename: (id: string, title: string) => Promise<void>;
  /** Pins or unpins; pinned conversations come first. Throws `IpcError`. */
  setPinned: (id: string, pinned: boolean) => Promise<void>;
  /** Moves a conversation to the archive or back; it leaves the list shown. Throws `IpcError`. */
  setArchived: (id: string, archived: boolean) => Promise<void>;
  /** Shows a title the core has already stored (a generated one), without refetching. */
  setTitle: (id: string, title: string) => void;
}

/** A page is being fetched: scroll events must not ask for it again. */
let loadingMore = false;

/**
 * Titles shown since a given point (`titleSeq`): a list fetched before a generated title or a
 * rename arrived must not put the old title back when its answer comes in after it.
 */
let titleSeq = 0;
const shownTitles = new Map<string, { title: string; seq: number }>();

function noteTitle(id: string, title: string): void {
  shownTitles.set(id, { title, seq: ++titleSeq });
}

/** `items` with the titles shown after `since` put back. */
function withNewerTitles(items: Conversation[], since: number): Conversation[] {
  return items.map((c) => {
    const shown = shownTitles.get(c.id);
    return shown && shown.seq > since ? { ...c, title: shown.title } : c;
  });
}

export const useConversationsStore = create<ConversationsState>()((set, get) => ({
  items: [],
  archived: false,
  hasMore: false,
  status: "idle",
  error: null,

  load: async ({ quiet = false } = {}) => {
    if (!quiet || get().status !== "ready") set({ status: "loading", error: null });
    try {
      const archived = get().archived;
      const since = titleSeq;
      const fetched = await ipc.listConversations(PAGE_SIZE, 0, { archived });
      if (get().archived !== archived) return;
      const items = withNewerTitles(fetched, since);
      set({ items, hasMore: fetched.length === PAGE_SIZE, status: "ready", error: null });
    } catch (error) {
      // A failed quiet refresh keeps the list that is already on screen.
      if (quiet && get().status === "ready") return;
      set({ status: "error", error: ipc.toIpcError(error) });
    }
  },

  loadMore: async () => {
    const { items, status, hasMore } = get();
    if (!hasMore || status !== "ready" || loadingMore) return;
    loadingMore = true;
    try {
      const archived = get().archived;
      const page = await ipc.listConversations(PAGE_SIZE, items.length, { archived });
      if (get().archived !== archived) return;
      const known = new Set(get().items.map((c) => c.id));
      set((state) => ({
        items: [...state.items, ...page.filter((c) => !known.has(c.id))],
        hasMore: page.length === PAGE_SIZE,
      }));
    } catch {
      // The list on screen stays; scrolling again retries.
    } finally {
      loadingMore = false;
    }
  },

  create: async (agentId) => {
    const conversation =
      agentId === undefined
        ? await ipc.createConversation(null)
        : await ipc.createConversationWithAgent(agentId);
    set((state) => ({
      items: ordered([conversation, ...state.items.filter((c) => c.id !== conversation.id)]),
    }));
    return conversation;
  },

  remove: async (id) => {
    await ipc.deleteConversation(id);
    set((state) => ({ items: state.items.filter((c) => c.id !== id) }));
  },

  showArchived: async (archived) => {
    if (get().archived === archived && get().status === "ready") return;
    set({ archived, items: [], hasMore: false, status: "loading", error: null });
    await get().load();
  },

  rename: async (id, title) => {
    const conversation = await ipc.renameConversation(id, title);
    noteTitle(id, conversation.title);
    set((state) => ({ items: replaced(state.items, conversation) }));
  },

  setPinned: async (id, pinned) => {
    const conversation = await ipc.setConversationPinned(id, pinned);
    set((state) => ({ items: ordered(replaced(state.items, conversation)) }));
  },

  setArchived: async (id, archived) => {
    await ipc.setConversationArchived(id, archived);
    set((state) => ({ items: state.items.filter((c) => c.id !== id) }));
  },

  setTitle: (id, title) => {
    noteTitle(id, title);
    set((state) => ({ items: state.items.map((c) => (c.id === id ? { ...c, title } : c)) }));
  },
}));

export function displayTitle(conversation: Pick<Conversation, "title">, untitled: string): string {
  const title = conversation.title.trim();
  return title === "" ? untitled : title;
}

function replaced(items: Conversation[], conversation: Conversation): Conversation[] {
  return items.map((c) => (c.id === conversation.id ? conversation : c));
}

/** The core's order: pinned first, then the newest. */
function ordered(items: Conversation[]): Conversation[] {
  return [...items].sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt,
  );
}
