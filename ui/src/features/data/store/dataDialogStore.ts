import { create } from "zustand";

/** Whether the data dialog (backups, export, import, logs) is open. */
export interface DataDialogState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const useDataDialog = create<DataDialogState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
