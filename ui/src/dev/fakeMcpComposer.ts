/**
 * The fake core's MCP prompts and resources for the composer (see `fakeCore.ts`): one
 * server's worth, enough to show the `/` commands and the resource picker.
 */
import type { McpPrompt, McpResource, Part } from "../bindings";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const PROMPTS: McpPrompt[] = [
  {
    serverId: "mcp-fake",
    serverName: "everything",
    name: "args-prompt",
    description: "A prompt with two arguments, one required and one optional",
    arguments: [
      { name: "city", description: "Name of the city", required: true },
      { name: "state", description: "Name of the state", required: false },
    ],
  },
];

const RESOURCES: McpResource[] = [
  {
    serverId: "mcp-fake",
    serverName: "everything",
    uri: "demo://resource/static/document/features.md",
    name: "features.md",
    description: "Static document file",
    mime: "text/markdown",
  },
];

export function createMcpComposer() {
  return {
    mcpPrompts: () => PROMPTS,
    mcpPromptText: (_serverId, name, args) =>
      name === "args-prompt" && args.city
        ? `What's weather in ${args.city}${args.state ? `, ${args.state}` : ""}?`
        : fail("mcp_server", "the server refused: city is required"),
    mcpResources: () => RESOURCES,
    attachMcpResource: (_attachId, _serverId, uri, name): Part | Promise<never> =>
      uri === RESOURCES[0]?.uri
        ? {
            type: "file",
            sha256: "f".repeat(64),
            name,
            mime: "text/markdown",
            bytes: 1200,
            chars: 1200,
            tokens: 300,
            truncated: false,
          }
        : fail("mcp_server", "the resource is empty"),
  } satisfies Partial<CoreHandlers>;
}
