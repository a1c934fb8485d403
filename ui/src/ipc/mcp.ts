/** MCP servers: the person's tool servers, their status, what they offer, their log. */
import { commands } from "../bindings";
import type { McpServer, McpServerInfo, McpServerInput } from "../bindings";
import { call } from "./call";

export function listMcpServers(): Promise<McpServer[]> {
  return call(() => commands.listMcpServers());
}

/** Rejects with `invalid_input` whose problems sit at the input's fields (`command`, `env.X`). */
export function createMcpServer(input: McpServerInput): Promise<McpServer> {
  return call(() => commands.createMcpServer(input));
}

/** A secret value left empty keeps the stored one; the server is stopped and starts anew. */
export function updateMcpServer(id: string, input: McpServerInput): Promise<McpServer> {
  return call(() => commands.updateMcpServer(id, input));
}

export async function deleteMcpServer(id: string): Promise<void> {
  await call(() => commands.deleteMcpServer(id));
}

export function setMcpServerEnabled(id: string, enabled: boolean): Promise<McpServer> {
  return call(() => commands.setMcpServerEnabled(id, enabled));
}

/** Starts the server if needed and lists what it offers; `mcp_server` says why it could not. */
export function testMcpServer(id: string): Promise<McpServerInfo> {
  return call(() => commands.testMcpServer(id));
}

/**
 * Adds every server of a Claude Desktop / Cursor `{"mcpServers": …}` JSON: all of them or
 * none (`invalid_input` with a problem per fault, under `mcpServers.<name>`).
 */
export function importMcpServers(json: string): Promise<McpServer[]> {
  return call(() => commands.importMcpServers(json));
}

/** The last lines the server wrote to stderr (secrets redacted), oldest first. */
export function mcpServerLog(id: string): Promise<string[]> {
  return call(() => commands.mcpServerLog(id));
}

export function restartMcpServer(id: string): Promise<McpServer> {
  return call(() => commands.restartMcpServer(id));
}
