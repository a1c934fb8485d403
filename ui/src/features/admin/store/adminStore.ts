import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { ActiveStream, IpcError, Stats } from "../../../ipc";

export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];
export type AdminTab = "usage" | "activity";

type Loaded<T> =
  { status: "loading" } | { status: "ready"; value: T } | { status: "error"; error: IpcError };

interface AdminState {
  open: boolean;
  tab: AdminTab;
  days: Period;
  stats: Loaded<Stats>;
  streams: ActiveStream[];
  /** Streams asked to stop, until they leave the list. */
  cancelling: string[];
  cancelError: IpcError | null;
  setOpen: (open: boolean) => void;
  setTab: (tab: AdminTab) => void;
  setDays: (days: Period) => Promise<void>;
  loadStats: () => Promise<void>;
  loadStreams: () => Promise<void>;
  cancel: (streamId: string) => Promise<void>;
}

/** The statistics page: usage over time, what is running, and what failed lately. */
export const useAdmin = create<AdminState>()((set, get) => ({
  open: false,
  tab: "usage",
  days: 30,
  stats: { status: "loading" },
  streams: [],
  cancelling: [],
  cancelError: null,

  setOpen: (open) => set({ open }),
  setTab: (tab) => set({ tab }),

  setDays: async (days) => {
    set({ days });
    await get().loadStats();
  },

  loadStats: async () => {
    const days = get().days;
    set({ stats: { status: "loading" } });
    try {
      const value = await ipc.getStats(days);
      // A later choice of period wins over a slower earlier answer.
      if (get().days === days) set({ stats: { status: "ready", value } });
    } catch (error) {
      set({ stats: { status: "error", error: ipc.toIpcError(error) } });
    }
  },

  loadStreams: async () => {
    try {
      const streams = await ipc.listActiveStreams();
      const running = new Set(streams.map((s) => s.streamId));
      set((state) => ({ streams, cancelling: state.cancelling.filter((id) => running.has(id)) }));
    } catch {
      // The list is refreshed every second; a failed poll leaves the last one.
    }
  },

  cancel: async (streamId) => {
    set((state) => ({ cancelling: [...state.cancelling, streamId], cancelError: null }));
    try {
      await ipc.cancelStream(streamId);
    } catch (error) {
      set((state) => ({
        cancelling: state.cancelling.filter((id) => id !== streamId),
        cancelError: ipc.toIpcError(error),
      }));
    }
    await get().loadStreams();
  },
}));
