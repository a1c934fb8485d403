import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { Notice } from "../../../components/ui/Notice";
import { ChevronRightIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, McpItem, McpServer } from "../../../ipc";
import { McpStatusBadge } from "../../mcp/components/McpStatusBadge";
import { useMcp } from "../../mcp/store/mcpStore";
import type { DraftTools } from "./agentDraft";

type ToolList =
  { state: "loading" } | { state: "ready"; tools: McpItem[] } | { state: "error"; error: IpcError };

/** `list` with `entry` in it or not, keeping the order of the rest. */
function toggled(list: string[], entry: string, on: boolean): string[] {
  const without = list.filter((e) => e !== entry);
  return on ? [...without, entry] : without;
}

/** One tool of a server: its name and description, used or not, always allowed or not. */
function ToolRow({
  tool,
  toolKey,
  tools,
  usable,
  onChange,
}: {
  tool: McpItem;
  toolKey: string;
  tools: DraftTools;
  usable: boolean;
  onChange: (tools: DraftTools) => void;
}) {
  const { t } = useTranslation();
  const on = !tools.disabled.includes(toolKey);
  return (
    <li className="agent-tools__tool" data-testid="agent-tool">
      <span className="agent-tools__tool-text" title={tool.description ?? undefined}>
        <span className="mono agent-tools__tool-name">{tool.name}</span>
        {tool.description ? (
          <span className="agent-tools__tool-description">{tool.description}</span>
        ) : null}
      </span>
      <label className="agent-tools__check">
        <input
          type="checkbox"
          checked={on}
          disabled={!usable}
          onChange={(e) =>
            onChange({ ...tools, disabled: toggled(tools.disabled, toolKey, !e.target.checked) })
          }
          data-testid="agent-tool-on"
        />
        {t("agentTools.use")}
      </label>
      <label className="agent-tools__check">
        <input
          type="checkbox"
          checked={tools.alwaysAllowed.includes(toolKey)}
          disabled={!usable || !on}
          onChange={(e) =>
            onChange({
              ...tools,
              alwaysAllowed: toggled(tools.alwaysAllowed, toolKey, e.target.checked),
            })
          }
          data-testid="agent-tool-always"
        />
        {t("agentTools.always")}
      </label>
    </li>
  );
}

/**
 * The agent editor's "Tools": the MCP servers with a checkbox each; a server's tools (asked
 * of the server when first shown) can each be left out or always allowed.
 */
export function AgentToolsSection({
  tools,
  onChange,
  error,
}: {
  tools: DraftTools;
  onChange: (tools: DraftTools) => void;
  error: ReactNode;
}) {
  const { t } = useTranslation();
  const servers = useMcp((s) => s.servers);
  const status = useMcp((s) => s.status);
  const loadError = useMcp((s) => s.error);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [lists, setLists] = useState<Record<string, ToolList>>({});

  useEffect(() => {
    void useMcp.getState().load();
  }, []);

  const loadTools = (id: string) => {
    setLists((l) => ({ ...l, [id]: { state: "loading" } }));
    ipc.testMcpServer(id).then(
      (info) => setLists((l) => ({ ...l, [id]: { state: "ready", tools: info.tools } })),
      (e: unknown) =>
        setLists((l) => ({ ...l, [id]: { state: "error", error: ipc.toIpcError(e) } })),
    );
  };
  const expand = (id: string) => {
    const next = !open[id];
    setOpen((o) => ({ ...o, [id]: next }));
    if (next && (lists[id] === undefined || lists[id].state === "error")) loadTools(id);
  };
  // Servers the agent names that are gone: listed so they can be taken off.
  const missing = tools.servers.filter((id) => !servers.some((s) => s.id === id));

  const summary = (server: McpServer) => {
    const prefix = `${server.id}/`;
    const off = tools.disabled.filter((k) => k.startsWith(prefix)).length;
    const always = tools.alwaysAllowed.filter((k) => k.startsWith(prefix)).length;
    return [
      off > 0 ? t("agentTools.count", { count: off }) : null,
      always > 0 ? t("agentTools.allowedCount", { count: always }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
  };

  const body = (server: McpServer) => {
    const list = lists[server.id];
    const usable = tools.servers.includes(server.id);
    if (!list || list.state === "loading") {
      return <p className="field-hint">{t("agentTools.loading")}</p>;
    }
    if (list.state === "error") {
      return (
        <Notice
          title={errorText(t, list.error)}
          details={list.error.message || undefined}
          actions={
            <Button size="sm" onClick={() => loadTools(server.id)}>
              {t("settings.retry")}
            </Button>
          }
        />
      );
    }
    if (list.tools.length === 0) return <p className="field-hint">{t("agentTools.empty")}</p>;
    return (
      <ul className="agent-tools__tools" aria-label={t("agentTools.toolsLabel")}>
        {list.tools.map((tool) => (
          <ToolRow
            key={tool.name}
            tool={tool}
            toolKey={`${server.id}/${tool.name}`}
            tools={tools}
            usable={usable}
            onChange={onChange}
          />
        ))}
      </ul>
    );
  };

  return (
    <section className="settings-section agent-tools" data-testid="agent-tools">
      <h3 className="settings-section__title">{t("agentTools.heading")}</h3>
      <p className="field-hint agent-tools__hint">{t("agentTools.hint")}</p>
      {status === "error" && loadError ? (
        <Notice title={t("mcp.loadFailed")} details={errorText(t, loadError)} />
      ) : null}
      {status === "ready" && servers.length === 0 ? (
        <div className="agent-tools__none">
          <span className="field-hint">{t("agentTools.none")}</span>
          <Button
            size="sm"
            onClick={() => useMcp.getState().setOpen(true)}
            data-testid="agent-tools-setup"
          >
            {t("agentTools.setUp")}
          </Button>
        </div>
      ) : null}
      <ul className="agent-tools__servers">
        {servers.map((server) => (
          <li key={server.id} className="agent-tools__server" data-testid="agent-tools-server">
            <div className="agent-tools__row">
              <label className="agent-tools__use">
                <input
                  type="checkbox"
                  checked={tools.servers.includes(server.id)}
                  onChange={(e) =>
                    onChange({
                      ...tools,
                      servers: toggled(tools.servers, server.id, e.target.checked),
                    })
                  }
                  data-testid="agent-tools-use"
                />
                <span className="agent-tools__name">{server.name}</span>
              </label>
              <McpStatusBadge server={server} />
              <span className="agent-tools__summary">{summary(server)}</span>
              <IconButton
                label={t("agentTools.show", { name: server.name })}
                icon={<ChevronRightIcon />}
                size="sm"
                className="agent-tools__expand"
                aria-expanded={open[server.id] === true}
                onClick={() => expand(server.id)}
                data-testid="agent-tools-expand"
              />
            </div>
            {open[server.id] ? <div className="agent-tools__body">{body(server)}</div> : null}
          </li>
        ))}
        {missing.map((id) => (
          <li key={id} className="agent-tools__server" data-testid="agent-tools-missing">
            <div className="agent-tools__row">
              <label className="agent-tools__use">
                <input
                  type="checkbox"
                  checked
                  onChange={() =>
                    onChange({ ...tools, servers: toggled(tools.servers, id, false) })
                  }
                />
                <span className="agent-tools__name agent-tools__name--missing">
                  {t("agentTools.missing")} <span className="mono">({id})</span>
                </span>
              </label>
            </div>
          </li>
        ))}
      </ul>
      {error}
    </section>
  );
}
