/**
 * MCP prompts and resources for the composer: the prompts of a conversation's servers are
 * its `/` commands, and its resources can be attached to a message like files. The servers
 * are those of the conversation's agent, none when its Tools switch is off.
 */
import { commands } from "../bindings";
import type { McpPrompt, McpResource, Part } from "../bindings";
import { call } from "./call";

export type { McpPrompt, McpPromptArgument, McpResource } from "../bindings";

export function mcpPrompts(conversationId: string): Promise<McpPrompt[]> {
  return call(() => commands.mcpPrompts(conversationId));
}

/**
 * The text of the prompt `name` of server `serverId` with its arguments' `values`, to put in
 * the composer. A server that refuses (a missing or bad value) is `mcp_server`.
 */
export function mcpPromptText(
  serverId: string,
  name: string,
  values: Record<string, string>,
): Promise<string> {
  return call(() => commands.mcpPromptText(serverId, name, values));
}

export function mcpResources(conversationId: string): Promise<McpResource[]> {
  return call(() => commands.mcpResources(conversationId));
}

/**
 * Reads a resource into a part, checked like any attached file (the errors of
 * `attachBytes`); `cancelAttach(attachId)` ends it with rule `cancelled`.
 */
export function attachMcpResource(
  attachId: string,
  serverId: string,
  uri: string,
  name: string,
): Promise<Part> {
  return call(() => commands.attachMcpResource(attachId, serverId, uri, name));
}
