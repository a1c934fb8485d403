import { create } from "zustand";
import * as ipc from "../../../ipc";
import type { IpcError, McpServer } from "../../../ipc";

/**
 * The MCP servers page (open or not) and the servers as last read. The agent editor reads
 * the list through `load` too; a status changes in the core by itself (a crash, a restart),
 * so the page reads it again while one is on its way somewhere.
 */
export interface McpState {
  open: boolean;
  setOpen: (open: boolean) => void;
  servers: McpServer[];
  status: "idle" | "loading" | "ready" | "error";
  error: IpcError | null;
  load: () => Promise<void>;
  /** Puts a server the core sent back (after a save, a switch, a restart) into the list. */
  put: (server: McpServer) => void;
  drop: (id: string) => void;
}

export const useMcp = create<McpState>()((set, get) => ({
  open: false,
  setOpen: (open) => set({ open }),
  servers: [],
  status: "idle",
  error: null,

  load: async () => {
    if (get().status !== "ready") set({ status: "loading", error: null });
    try {
      set({ servers: await ipc.listMcpServers(), status: "ready", error: null });
    } catch (error) {
      set({ status: "error", error: ipc.toIpcError(error) });
    }
  },

  put: (server) =>
    set((state) => ({
      servers: state.servers.some((s) => s.id === server.id)
        ? state.servers.map((s) => (s.id === server.id ? server : s))
        : [...state.servers, server],
    })),

  drop: (id) => set((state) => ({ servers: state.servers.filter((s) => s.id !== id) })),
}));

/** Whether a server's status will change without anyone asking (worth reading again). */
export function isSettling(server: McpServer): boolean {
  return server.status.state === "starting" || server.status.state === "crashed";
}
