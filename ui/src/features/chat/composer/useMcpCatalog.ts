/**
 * The MCP prompts and resources of the conversation the composer writes to. Asking for
 * them may start the agent's servers, so nothing is asked while the conversation has none
 * (no agent servers, or its Tools switch off). Prompts are asked for the first time `/` is
 * typed, resources when the conversation opens (the Resources button shows only if there
 * are some); both again after the conversation or its Tools switch changes.
 */
import { useCallback, useEffect, useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError, McpPrompt, McpResource } from "../../../ipc";

export type Loaded<T> =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "ready"; items: T[] }
  | { status: "failed"; error: IpcError };

interface Catalog {
  /** The conversation asked about; null when it has no servers. */
  scope: string | null;
  /** New for each scope and switch change: answers to an older one are dropped. */
  token: object;
  prompts: Loaded<McpPrompt>;
  resources: Loaded<McpResource>;
}

const fresh = (scope: string | null): Catalog => ({
  scope,
  token: {},
  prompts: { status: "idle" },
  resources: { status: "idle" },
});

export function useMcpCatalog(conversationId: string | null, hasServers: boolean) {
  const scope = hasServers ? conversationId : null;
  // Each change of the switch starts afresh: turned off and on again, the lists are asked
  // for again (the agent's servers may have changed meanwhile).
  const [toolsOn, setToolsOn] = useState(hasServers);
  const [catalog, setCatalog] = useState(() => fresh(scope));
  if (catalog.scope !== scope || toolsOn !== hasServers) {
    setToolsOn(hasServers);
    setCatalog(fresh(scope));
  }

  /** Applies an answer only if it was asked for the catalog still shown. */
  const settle = useCallback(
    (token: object, change: Partial<Pick<Catalog, "prompts" | "resources">>) =>
      setCatalog((current) => (current.token === token ? { ...current, ...change } : current)),
    [],
  );

  const { token, scope: asked } = catalog;
  useEffect(() => {
    if (asked === null) return;
    ipc.mcpResources(asked).then(
      (items) => settle(token, { resources: { status: "ready", items } }),
      (e) => settle(token, { resources: { status: "failed", error: ipc.toIpcError(e) } }),
    );
  }, [asked, token, settle]);

  /** Asks for the prompts, unless they are in or on their way. */
  const loadPrompts = useCallback(() => {
    if (asked === null || catalog.prompts.status !== "idle") return;
    settle(token, { prompts: { status: "loading" } });
    ipc.mcpPrompts(asked).then(
      (items) => settle(token, { prompts: { status: "ready", items } }),
      (e) => settle(token, { prompts: { status: "failed", error: ipc.toIpcError(e) } }),
    );
  }, [asked, token, catalog.prompts.status, settle]);

  return {
    /** Whether the conversation can have prompts and resources at all. */
    available: scope !== null,
    prompts: catalog.prompts,
    resources: catalog.resources,
    loadPrompts,
  };
}
