/**
 * The fake core's MCP servers (see `fakeCore.ts`): kept in memory, secrets reduced to their
 * status as the core does. Four samples show each status: a running HTTP server (the
 * `?tools` agent's "web"), a stopped stdio one, one that crashed and restarts in a few
 * seconds, and one that failed to start.
 */
import type {
  McpItem,
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

const item = (name: string, description: string | null = null): McpItem => ({
  name,
  description,
});

/** What each sample offers; a server added here offers one echo tool. */
const OFFERS: Record<string, { tools: McpItem[]; resources: McpItem[]; prompts: McpItem[] }> = {
  web: {
    tools: [
      item("fetch_page", "Fetches a web page and returns its text"),
      item("search", "Searches the web and returns the first results with their links"),
    ],
    resources: [],
    prompts: [item("summarize_page", "Summarize a page in five bullet points")],
  },
  "mcp-fake": {
    tools: [
      item("echo", "Echoes back the input"),
      item("add", "Adds two numbers"),
      item("longRunningOperation", "Demonstrates a long running operation with progress updates"),
      item(
        "printEnv",
        "Prints all environment variables, helpful for debugging MCP server configuration",
      ),
      item("getTinyImage", "Returns the MCP_TINY_IMAGE"),
    ],
    resources: [item("features.md", "Static document file")],
    prompts: [item("args-prompt", "A prompt with two arguments, one required and one optional")],
  },
  files: {
    tools: [
      item("read_file", "Read the complete contents of a file from the file system"),
      item("write_file", "Create a new file or completely overwrite an existing file"),
      item("list_directory", "Get a detailed listing of all files and directories in a path"),
    ],
    resources: [],
    prompts: [],
  },
};

function samples(now: number): McpServer[] {
  const server = (id: string, name: string, transport: McpTransportView): McpServer => ({
    id,
    name,
    transport,
    enabled: true,
    callTimeoutSecs: 60,
    status: { state: "stopped" },
    createdAt: now,
    updatedAt: now,
  });
  const stdio = (command: string, args: string[], env: Record<string, McpValueView> = {}) =>
    ({ type: "stdio", command, args, cwd: null, env }) as const;
  return [
    {
      ...server("web", "Web tools", {
        type: "http",
        url: "https://tools.example.com/mcp",
        headers: { Authorization: { kind: "secret", status: { set: true, last4: "9f2c" } } },
      }),
      status: { state: "running" },
    },
    server(
      "mcp-fake",
      "everything",
      stdio("npx", ["-y", "@modelcontextprotocol/server-everything"]),
    ),
    {
      ...server(
        "files",
        "files",
        stdio("npx", ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/Documents"], {
          LOG_LEVEL: { kind: "plain", value: "info" },
        }),
      ),
      status: { state: "crashed", restarts: 2, nextRetryMs: now + 12_000 },
    },
    {
      ...server("broken", "sqlite", stdio("uvx", ["mcp-server-sqlite", "--db-path", "notes.db"])),
      status: { state: "failed", message: "the program uvx was not found" },
    },
  ];
}

const LOGS: Record<string, string[]> = {
  files: [
    "Secure MCP Filesystem Server running on stdio",
    "Allowed directories: [ '/home/me/Documents' ]",
    "Error: EACCES: permission denied, scandir '/home/me/Documents/private'",
    "    at async Promise.all (index 0)",
  ],
  broken: ["spawn uvx ENOENT"],
};

export function createMcp(now = Date.now()) {
  const servers: McpServer[] = samples(now);
  let seq = 0;

  const save = (id: string | null, input: McpServerInput) => {
    const name = input.name.trim();
    if (name === "") return refuse(fail, problem("name", "required"));
    if (servers.some((s) => s.name === name && s.id !== id)) {
      return refuse(fail, problem("name", "taken", { value: name }));
    }
    const t = input.transport;
    if (t.type === "stdio" && t.command.trim() === "") {
      return refuse(fail, problem("command", "required"));
    }
    const bad = Object.keys(t.type === "stdio" ? (t.env ?? {}) : {}).find(
      (k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k),
    );
    if (bad !== undefined) return refuse(fail, problem(`env.${bad}`, "invalid_env_name"));
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
  const found = (id: string) => servers.find((s) => s.id === id);
  const missing = (id: string) => fail("not_found", `no MCP server ${id}`);
  /** A crashed server whose wait is over is up again; one starting is up a moment later. */
  const settle = () => {
    for (const s of servers) {
      if (s.status.state === "crashed" && s.status.nextRetryMs <= Date.now()) {
        s.status = { state: "running" };
      }
    }
    return servers.map((s) => ({ ...s }));
  };

  return {
    listMcpServers: settle,
    createMcpServer: (input) => save(null, input),
    updateMcpServer: (id, input) => save(id, input),
    deleteMcpServer: (id) => {
      const at = servers.findIndex((s) => s.id === id);
      if (at >= 0) servers.splice(at, 1);
      return null;
    },
    setMcpServerEnabled: (id, enabled) => {
      const server = found(id);
      if (!server) return missing(id);
      server.enabled = enabled;
      if (!enabled) server.status = { state: "stopped" };
      return { ...server };
    },
    testMcpServer: (id) => {
      const server = found(id);
      if (!server) return missing(id);
      if (server.status.state === "failed") return fail("mcp_server", server.status.message);
      server.status = { state: "running" };
      const offers = OFFERS[id] ?? {
        tools: [item("echo", "Echoes back the input")],
        resources: [],
        prompts: [],
      };
      return { serverName: server.name, serverVersion: "1.0.0", ...offers };
    },
    importMcpServers: (json) => {
      let doc: unknown;
      try {
        doc = JSON.parse(json);
      } catch {
        return refuse(fail, problem("json", "invalid_json", { line: 1, column: 1 }));
      }
      const list = (doc as { mcpServers?: unknown } | null)?.mcpServers;
      if (typeof list !== "object" || list === null) {
        return refuse(fail, problem("json", "wrong_format"));
      }
      const entries = Object.entries(list as Record<string, { command?: string; url?: string }>);
      const problems = entries
        .filter(([, s]) => !s.command && !s.url)
        .map(([name]) => problem(`mcpServers.${name}.command`, "required"));
      if (problems.length > 0) return refuse(fail, ...problems);
      return entries.map(([name, s]) => {
        const transport = s.url
          ? ({ type: "http", url: s.url } as const)
          : ({ type: "stdio", command: s.command ?? "" } as const);
        // A name already used gets a number, as the core does.
        let unique = name;
        for (let n = 2; servers.some((x) => x.name === unique); n++) unique = `${name} ${n}`;
        return save(null, { name: unique, transport }) as McpServer;
      });
    },
    mcpServerLog: (id) => (found(id) ? (LOGS[id] ?? []) : missing(id)),
    restartMcpServer: (id) => {
      const server = found(id);
      if (!server) return missing(id);
      server.status = { state: "starting" };
      window.setTimeout(() => (server.status = { state: "running" }), 1500);
      return { ...server };
    },
  } satisfies Partial<CoreHandlers>;
}
