import { create } from "zustand";
import { type IpcError, getStartupStatus, restoreBackup, toIpcError } from "../../../ipc";
import type { StartupStatus } from "../../../ipc";

interface StartupStore {
  /** `checking` until the core has answered (or could not be asked). */
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

/**
 * How the database came up. Asked before anything else calls the core: when the database
 * could not be opened only the storage commands work, and the app shows the recovery
 * screen instead of the chat.
 */
export const useStartup = create<StartupStore>((set) => ({
  phase: "checking",
  status: null,
  restoring: null,
  restoreError: null,
  noticeDismissed: false,
  load: async () => {
    try {
      set({ phase: "ready", status: await getStartupStatus() });
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

export function needsRecovery(status: StartupStatus | null): boolean {
  return status?.state.kind === "recovery_needed";
}
