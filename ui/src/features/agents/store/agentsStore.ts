import { i18n } from "../../../i18n";
import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { Agent, IpcError } from "../../../ipc";

export interface AgentsState {
  items: Agent[];
  status: "idle" | "loading" | "ready" | "error";
  error: IpcError | null;
  load: () => Promise<void>;
  /** Puts a stored agent into the list (after a save), replacing its old copy. */
  put: (agent: Agent) => void;
  drop: (id: string) => void;
}

export const useAgentsStore = create<AgentsState>()((set, get) => ({
  items: [],
  status: "idle",
  error: null,

  load: async () => {
    if (get().status !== "ready") set({ status: "loading", error: null });
    try {
      set({ items: await ipc.listAgents(), status: "ready", error: null });
    } catch (error) {
      set({ status: "error", error: ipc.toIpcError(error) });
    }
  },

  put: (agent) =>
    set((state) => ({
      items: state.items.some((a) => a.id === agent.id)
        ? state.items.map((a) => (a.id === agent.id ? agent : a))
        : [...state.items, agent],
    })),

  drop: (id) => set((state) => ({ items: state.items.filter((a) => a.id !== id) })),
}));

/**
 * What the core stores for the built-in agent (in English). Until someone edits them they
 * are shown in the interface's language.
 */
const BUILTIN_NAME = "Default";
const BUILTIN_DESCRIPTION = "General conversation, no preset prompt.";

/** The name to show: the preset's name, else the slug. */
export function agentName(agent: Agent): string {
  const name = agent.appPreset.name?.trim();
  if (agent.builtin && name === BUILTIN_NAME) return i18n.t("agents.builtinName");
  return name ? name : agent.agentId;
}

/** The description to show (empty when there is none). */
export function agentDescription(agent: Agent): string {
  const description = agent.appPreset.description?.trim() ?? "";
  if (agent.builtin && description === BUILTIN_DESCRIPTION) {
    return i18n.t("agents.builtinDescription");
  }
  return description;
}

/** The greetings to show for `agent` (blank ones left out). */
export function agentGreetings(agent: Agent | null): string[] {
  return (agent?.appPreset.greetings ?? []).filter((g) => g.trim() !== "");
}

export function agentAvatar(agent: Agent): string {
  const avatar = agent.appPreset.avatar?.trim();
  return avatar ? avatar : "🤖";
}
