import { create } from "zustand";

/** Whether the settings dialog is open; anything (an error banner, a shortcut) may open it. */
export interface SettingsDialogState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const useSettingsDialog = create<SettingsDialogState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
