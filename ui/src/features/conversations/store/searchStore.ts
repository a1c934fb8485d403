import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { IpcError, SearchHit } from "../../../ipc";

/** How many results one search shows. */
export const SEARCH_LIMIT = 50;
/** Typing pauses this long before a search runs. */
export const SEARCH_DEBOUNCE_MS = 200;

export interface SearchState {
  query: string;
  hits: SearchHit[];
  status: "idle" | "searching" | "ready" | "error";
  error: IpcError | null;
  /** The result chosen with the arrow keys; Enter opens it. */
  selected: number;
  /** Moves the choice down (1) or up (-1), wrapping around. */
  move: (delta: 1 | -1) => void;
  /** Sets the text in the box; the search runs after a short pause. */
  setQuery: (query: string) => void;
  clear: () => void;
}

let timer: ReturnType<typeof setTimeout> | null = null;
/** Only the answer to the latest query is shown. */
let latest = 0;

export const useSearchStore = create<SearchState>()((set, get) => {
  const run = async (query: string) => {
    const ticket = ++latest;
    set({ status: "searching", error: null });
    try {
      const hits = await ipc.search(query, SEARCH_LIMIT);
      if (ticket === latest) set({ hits, status: "ready", selected: 0 });
    } catch (error) {
      if (ticket === latest) set({ hits: [], status: "error", error: ipc.toIpcError(error) });
    }
  };

  return {
    query: "",
    hits: [],
    status: "idle",
    error: null,
    selected: 0,
    move: (delta) => {
      const { hits, selected } = get();
      if (hits.length > 0) set({ selected: (selected + delta + hits.length) % hits.length });
    },
    setQuery: (query) => {
      set({ query });
      if (timer) clearTimeout(timer);
      if (query.trim() === "") {
        latest++;
        set({ hits: [], status: "idle", error: null });
        return;
      }
      timer = setTimeout(() => void run(query.trim()), SEARCH_DEBOUNCE_MS);
    },
    clear: () => {
      if (timer) clearTimeout(timer);
      latest++;
      set({ query: "", hits: [], status: "idle", error: null });
    },
  };
});
