import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { IpcError, KnowledgeBase } from "../../../ipc";

/**
 * The knowledge bases page (open or not) and the bases as last read. The agent editor and
 * the conversation's picker read the list through `load` too.
 */
export interface KnowledgeState {
  open: boolean;
  setOpen: (open: boolean) => void;
  bases: KnowledgeBase[];
  status: "idle" | "loading" | "ready" | "error";
  error: IpcError | null;
  load: () => Promise<void>;
  /** Puts a base the core sent back (after a save) into the list. */
  put: (base: KnowledgeBase) => void;
  drop: (id: string) => void;
}

export const useKnowledge = create<KnowledgeState>()((set, get) => ({
  open: false,
  setOpen: (open) => set({ open }),
  bases: [],
  status: "idle",
  error: null,

  load: async () => {
    if (get().status !== "ready") set({ status: "loading", error: null });
    try {
      set({ bases: await ipc.listKnowledgeBases(), status: "ready", error: null });
    } catch (error) {
      set({ status: "error", error: ipc.toIpcError(error) });
    }
  },

  put: (base) =>
    set((state) => ({
      bases: state.bases.some((b) => b.id === base.id)
        ? state.bases.map((b) => (b.id === base.id ? base : b))
        : [...state.bases, base],
    })),

  drop: (id) => set((state) => ({ bases: state.bases.filter((b) => b.id !== id) })),
}));
