import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { ImportKind, ImportProgress, ImportSummary, IpcError } from "../../../ipc";
import { useConversationsStore } from "../../conversations/store/conversationsStore";

/**
 * The import in progress and how the last one ended. Kept outside the panel so that closing
 * and reopening the dialog shows a running import where it is.
 */
export type ImportState =
  | { phase: "idle" }
  | { phase: "reading"; kind: ImportKind; progress: ImportProgress | null }
  | { phase: "saving"; kind: ImportKind; progress: ImportProgress | null }
  | { phase: "done"; kind: ImportKind; summary: ImportSummary }
  | { phase: "failed"; kind: ImportKind; error: IpcError };

export interface ImportStore {
  state: ImportState;
  /** Asks for a file and imports it; nothing happens when the dialog is cancelled. */
  chooseAndImport: (kind: ImportKind) => Promise<void>;
  dismiss: () => void;
}

export const useImportStore = create<ImportStore>()((set, get) => ({
  state: { phase: "idle" },
  chooseAndImport: async (kind) => {
    const running = get().state.phase;
    if (running === "reading" || running === "saving") return;
    let path: string | null;
    try {
      path = await ipc.chooseOpenPath("json");
    } catch (error) {
      set({ state: { phase: "failed", kind, error: ipc.toIpcError(error) } });
      return;
    }
    if (path === null) return;
    set({ state: { phase: "reading", kind, progress: null } });
    try {
      const summary = await ipc.importConversations(path, kind, (event) => {
        const current = get().state;
        if (current.phase !== "reading" && current.phase !== "saving") return;
        if (event.event === "progress") {
          set({ state: { ...current, progress: event.data } });
        } else {
          set({ state: { phase: "saving", kind, progress: current.progress } });
        }
      });
      set({ state: { phase: "done", kind, summary } });
      if (summary.conversations > 0) void useConversationsStore.getState().load({ quiet: true });
    } catch (error) {
      set({ state: { phase: "failed", kind, error: ipc.toIpcError(error) } });
    }
  },
  dismiss: () => {
    const running = get().state.phase;
    if (running !== "reading" && running !== "saving") set({ state: { phase: "idle" } });
  },
}));
