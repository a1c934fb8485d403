import type { McpServer } from "../../../ipc";

/** A stdio server "files" (id m1), stopped; a test sets the fields it looks at. */
export function mcpServer(overrides: Partial<McpServer> = {}): McpServer {
  return {
    id: "m1",
    name: "files",
    transport: {
      type: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem"],
      cwd: null,
      env: {},
    },
    enabled: true,
    callTimeoutSecs: 60,
    status: { state: "stopped" },
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}
