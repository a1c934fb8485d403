/**
 * The fake core's MCP servers (see `fakeCore.ts`): kept in memory, secrets reduced to their
 * status as the core does, "running" once tested, with a small fixed list of tools.
 */
import type {
  McpServer,
  McpServerInput,
  McpTransportView,
  McpValueInput,
  McpValueView,
} from "../bindings";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

function view(values: Partial<Record<string, McpValueInput>>): Record<string, McpValueView> {
  const out: Record<string, McpValueView> = {};
  for (const [name, input] of Object.entries(values)) {
    const value = input?.value ?? "";
    out[name] = input?.secret
      ? {
          kind: "secret",
          status: { set: value !== "", last4: value === "" ? null : value.slice(-4) },
        }
      : { kind: "plain", value };
  }
  return out;
}

function transportOf(input: McpServerInput): McpTransportView {
  const t = input.transport;
  return t.type === "stdio"
    ? {
        type: "stdio",
        command: t.command,
        args: t.args ?? [],
        cwd: t.cwd ?? null,
        env: view(t.env ?? {}),
      }
    : { type: "http", url: t.url, headers: view(t.headers ?? {}) };
}

export function createMcp() {
  const servers: McpServer[] = [];
  let seq = 0;

  const save = (id: string | null, input: McpServerInput) => {
    const name = input.name.trim();
    if (name === "") return refuse(fail, problem("name", "required"));
    if (servers.some((s) => s.name === name && s.id !== id)) {
      return refuse(fail, problem("name", "taken", { value: name }));
    }
    const now = Date.now();
    const before = servers.find((s) => s.id === id);
    const server: McpServer = {
      id: id ?? `mcp-${++seq}`,
      name,
      transport: transportOf(input),
      enabled: input.enabled ?? true,
      callTimeoutSecs: input.callTimeoutSecs ?? 60,
      status: { state: "stopped" },
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
    if (before) servers.splice(servers.indexOf(before), 1, server);
    else servers.push(server);
    return server;
  };
  const found = (id: string) =>
    servers.find((s) => s.id === id) ?? fail("not_found", `no MCP server ${id}`);

  return {
    listMcpServers: () => [...servers],
    createMcpServer: (input) => save(null, input),
    updateMcpServer: (id, input) => save(id, input),
    deleteMcpServer: (id) => {
      const at = servers.findIndex((s) => s.id === id);
      if (at >= 0) servers.splice(at, 1);
      return null;
    },
    setMcpServerEnabled: (id, enabled) => {
      const server = servers.find((s) => s.id === id);
      if (!server) return fail("not_found", `no MCP server ${id}`);
      server.enabled = enabled;
      return server;
    },
    testMcpServer: (id) => {
      const server = servers.find((s) => s.id === id);
      if (!server) return fail("not_found", `no MCP server ${id}`);
      server.status = { state: "running" };
      return {
        serverName: "fake-server",
        serverVersion: "1.0.0",
        tools: [{ name: "echo", description: "Echoes back the input" }],
        resources: [],
        prompts: [],
      };
    },
    importMcpServers: () => [],
    mcpServerLog: (id) => {
      const server = found(id);
      return server instanceof Promise ? server : ["[fake] started"];
    },
    restartMcpServer: (id) => found(id),
  } satisfies Partial<CoreHandlers>;
}
