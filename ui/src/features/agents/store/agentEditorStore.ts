import { create } from "zustand";

/**
 * Which agent the editor page shows: `null` closed, `"new"` a new agent, otherwise the
 * agent's id.
 */
export interface AgentEditorState {
  target: string | null;
  edit: (target: string | null) => void;
}

export const useAgentEditor = create<AgentEditorState>()((set) => ({
  target: null,
  edit: (target) => set({ target }),
}));
