import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { AppVersion, IpcError, UpdateInfo } from "../../../ipc";

/** Where updating stands. Every failure keeps the running version as it is. */
export type UpdatePhase =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "upToDate" }
  | { kind: "found"; update: UpdateInfo }
  | {
      kind: "installing";
      update: UpdateInfo;
      downloaded: number;
      total: number | null;
      /** Downloaded and its signature checked: the system's installer runs. */
      verified: boolean;
    }
  | { kind: "installed"; update: UpdateInfo }
  | { kind: "failed"; error: IpcError; update: UpdateInfo | null };

export interface UpdatesState {
  version: AppVersion | null;
  phase: UpdatePhase;
  /** The check at start found `phase`'s update and the notice about it was closed. */
  noticeDismissed: boolean;
  /** Reads the running version and what a check at start found. */
  load: () => Promise<void>;
  check: () => Promise<void>;
  install: () => Promise<void>;
  restart: () => Promise<void>;
  /** The check at start found `update`. */
  announce: (update: UpdateInfo) => void;
  dismissNotice: () => void;
}

export const useUpdates = create<UpdatesState>()((set, get) => ({
  version: null,
  phase: { kind: "idle" },
  noticeDismissed: false,

  load: async () => {
    try {
      set({ version: await ipc.getAppVersion() });
      const found = await ipc.foundUpdate();
      if (found && get().phase.kind === "idle") set({ phase: { kind: "found", update: found } });
    } catch {
      // Without the version the section says nothing about it; checking still works.
    }
  },

  check: async () => {
    set({ phase: { kind: "checking" } });
    try {
      const update = await ipc.checkForUpdate();
      set({ phase: update ? { kind: "found", update } : { kind: "upToDate" } });
    } catch (e) {
      set({ phase: { kind: "failed", error: ipc.toIpcError(e), update: null } });
    }
  },

  install: async () => {
    const { phase } = get();
    if (phase.kind !== "found") return;
    const { update } = phase;
    set({
      phase: { kind: "installing", update, downloaded: 0, total: null, verified: false },
    });
    try {
      await ipc.installUpdate((event) => {
        const now = get().phase;
        if (now.kind !== "installing") return;
        set({
          phase:
            event.event === "progress"
              ? { ...now, downloaded: event.data.downloaded, total: event.data.total }
              : { ...now, verified: true },
        });
      });
      set({ phase: { kind: "installed", update } });
    } catch (e) {
      set({ phase: { kind: "failed", error: ipc.toIpcError(e), update } });
    }
  },

  restart: () => ipc.restartApp(),

  announce: (update) => {
    if (get().phase.kind === "idle") set({ phase: { kind: "found", update } });
  },

  dismissNotice: () => set({ noticeDismissed: true }),
}));
