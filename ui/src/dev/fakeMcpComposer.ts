/**
 * The fake core's MCP prompts and resources for the composer (see `fakeCore.ts`): one
 * server's worth, enough to show the `/` commands and the resource picker. Only a
 * conversation with tools (its agent's servers, its Tools switch on) has them, as in the
 * core. A resource is read like a pasted file of its name, so `server-handbook.pdf` takes a
 * while (it can be cancelled) and `sample.bin` is refused.
 */
import type { Agent, Conversation, McpPrompt, McpResource, Part } from "../bindings";
import { toolsOf } from "./fakeTools";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const SERVER = { serverId: "mcp-fake", serverName: "everything" };

const PROMPTS: McpPrompt[] = [
  {
    ...SERVER,
    name: "args-prompt",
    description: "A prompt with two arguments, one required and one optional",
    arguments: [
      { name: "city", description: "Name of the city", required: true },
      { name: "state", description: "Name of the state", required: false },
    ],
  },
  {
    ...SERVER,
    name: "simple-prompt",
    description: "A prompt with no arguments",
    arguments: [],
  },
  {
    ...SERVER,
    name: "resource-prompt",
    description: "A prompt that includes an embedded resource reference",
    arguments: [{ name: "resourceId", description: "Resource ID (1-100)", required: true }],
  },
];

const RESOURCES: McpResource[] = [
  {
    ...SERVER,
    uri: "demo://resource/static/document/features.md",
    name: "features.md",
    description: "Static document file",
    mime: "text/markdown",
  },
  {
    ...SERVER,
    uri: "demo://resource/static/document/server-handbook.pdf",
    name: "server-handbook.pdf",
    description: "The server's handbook, long and slow to read",
    mime: "application/pdf",
  },
  {
    ...SERVER,
    uri: "demo://resource/dynamic/blob/1",
    name: "sample.bin",
    description: "A binary blob",
    mime: "application/octet-stream",
  },
];

function promptText(name: string, args: Partial<Record<string, string>>): string | Promise<never> {
  if (name === "simple-prompt") return "This is a simple prompt without arguments.";
  if (name === "args-prompt" && args.city) {
    return `What's weather in ${args.city}${args.state ? `, ${args.state}` : ""}?`;
  }
  const id = Number(args.resourceId);
  if (name === "resource-prompt" && Number.isInteger(id) && id >= 1 && id <= 100) {
    return `This prompt includes Resource ${id}. Please analyze the following resource:`;
  }
  return fail("mcp_server", `the server refused the arguments of ${name}`);
}

export function createMcpComposer(
  conversations: Conversation[],
  agents: () => Agent[],
  /** Reads bytes named `name` into a part, as `attachBytes` does. */
  attachBytes: (attachId: string, name: string, dataBase64: string) => Promise<Part>,
) {
  const hasTools = (conversationId: string) =>
    toolsOf(
      conversations.find((c) => c.id === conversationId),
      agents(),
    ) !== null;
  return {
    mcpPrompts: (conversationId) => (hasTools(conversationId) ? PROMPTS : []),
    mcpPromptText: (_serverId, name, values) => promptText(name, values),
    mcpResources: (conversationId) => (hasTools(conversationId) ? RESOURCES : []),
    attachMcpResource: (attachId, _serverId, uri, name) =>
      RESOURCES.some((r) => r.uri === uri)
        ? attachBytes(attachId, name, btoa(`# ${name}\n\nRead from ${uri}.\n`))
        : fail("mcp_server", `no resource ${uri}`),
  } satisfies Partial<CoreHandlers>;
}
