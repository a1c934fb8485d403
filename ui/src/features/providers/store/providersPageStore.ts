import { create } from "zustand";

/** Whether the providers & keys page is open; the sidebar and error banners open it. */
export interface ProvidersPageState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const useProvidersPage = create<ProvidersPageState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
