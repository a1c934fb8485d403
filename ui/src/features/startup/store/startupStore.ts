import { create } from "zustand";
import { type IpcError, getStartupStatus, restoreBackup, toIpcError } from "../../../ipc";
import type { StartupStatus } from "../../../ipc";

/** How often the core is asked again while the database is still opening. */
export const OPENING_POLL_MS = 250;

interface StartupStore {
  /** `checking` until the core has said how the database came up (or could not be asked). */
  phase: "checking" | "ready";
  /** `null` when there is no core to ask (a plain browser): the app then says so itself. */
  status: StartupStatus | null;
  /** The backup being restored: the app restarts when that succeeds. */
  restoring: string | null;
  restoreError: IpcError | null;
  /** The "restored from a backup" notice was read and closed. */
  noticeDismissed: boolean;
  load: () => Promise<void>;
  restore: (path: string) => Promise<void>;
  dismissNotice: () => void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How the database came up. Asked before anything else calls the core: while the database
 * opens (after an update it is backed up and upgraded first, which takes a while on a large
 * history) nothing else answers, and when it could not be opened only the storage commands
 * work, and the app shows the recovery screen instead of the chat.
 */
export const useStartup = create<StartupStore>((set) => ({
  phase: "checking",
  status: null,
  restoring: null,
  restoreError: null,
  noticeDismissed: false,
  load: async () => {
    try {
      for (;;) {
        const status = await getStartupStatus();
        if (status.state.kind !== "opening") {
          set({ phase: "ready", status });
          return;
        }
        set({ status });
        await pause(OPENING_POLL_MS);
      }
    } catch {
      set({ phase: "ready", status: null });
    }
  },
  restore: async (path) => {
    set({ restoring: path, restoreError: null });
    try {
      // On success the core restarts the app and swaps the file while nothing has it open.
      await restoreBackup(path);
    } catch (error) {
      set({ restoring: null, restoreError: toIpcError(error) });
    }
  },
  dismissNotice: () => set({ noticeDismissed: true }),
}));
