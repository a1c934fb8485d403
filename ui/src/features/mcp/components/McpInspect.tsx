import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, McpItem, McpServer, McpServerInfo } from "../../../ipc";

type Action = "test" | "log" | "restart";
type View =
  | { kind: "idle" }
  | { kind: "busy"; action: Action }
  | { kind: "info"; info: McpServerInfo }
  | { kind: "log"; lines: string[] }
  | { kind: "error"; error: IpcError };

function ItemList({ title, items, testId }: { title: string; items: McpItem[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="mcp-items" data-testid={testId}>
      <h4 className="mcp-items__title">
        {title} <span className="mcp-items__count">{items.length}</span>
      </h4>
      {items.length === 0 ? (
        <p className="field-hint">{t("mcp.noneOffered")}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.name}>
              <span className="mono mcp-items__name">{item.name}</span>
              {item.description ? (
                <span className="mcp-items__description">{item.description}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Mounted per server (keyed by its id): "Test" starts it and lists what it offers, "Log"
 * shows the last lines it wrote to stderr, "Restart" starts it anew. The new status goes to
 * `onChanged`.
 */
export function McpInspect({
  server,
  onChanged,
}: {
  server: McpServer;
  onChanged: (server?: McpServer) => void;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: "idle" });

  const run = async (action: Action) => {
    setView({ kind: "busy", action });
    try {
      if (action === "test") {
        setView({ kind: "info", info: await ipc.testMcpServer(server.id) });
        onChanged();
      } else if (action === "log") {
        setView({ kind: "log", lines: await ipc.mcpServerLog(server.id) });
      } else {
        onChanged(await ipc.restartMcpServer(server.id));
        setView({ kind: "idle" });
      }
    } catch (e) {
      setView({ kind: "error", error: ipc.toIpcError(e) });
      // A failed start changes the status too.
      if (action !== "log") onChanged();
    }
  };
  const busy = view.kind === "busy" ? view.action : null;
  const button = (action: Action, label: string, busyLabel: string) => (
    <Button
      size="sm"
      onClick={() => void run(action)}
      disabled={busy !== null || (action !== "log" && !server.enabled)}
      data-testid={`mcp-${action}`}
    >
      {busy === action ? busyLabel : label}
    </Button>
  );

  return (
    <section className="settings-section">
      <div className="settings-section__head">
        <h3 className="settings-section__title">{t("mcp.inspectHeading")}</h3>
        <div className="mcp-inspect__actions">
          {button("test", t("mcp.test"), t("mcp.testing"))}
          {button("log", t("mcp.log"), t("mcp.loading"))}
          {button("restart", t("mcp.restart"), t("mcp.restarting"))}
        </div>
      </div>
      <div aria-live="polite" data-testid="mcp-inspect-result">
        {view.kind === "idle" ? (
          <p className="field-hint">{server.enabled ? t("mcp.testHint") : t("mcp.offHint")}</p>
        ) : null}
        {view.kind === "error" ? (
          <Notice title={errorText(t, view.error)} details={view.error.message || undefined} />
        ) : null}
        {view.kind === "info" ? (
          <div className="mcp-info">
            <p className="field-success">
              {t("mcp.testOk", {
                name: view.info.serverName ?? server.name,
                version: view.info.serverVersion ?? "",
              })}
            </p>
            <ItemList title={t("mcp.tools")} items={view.info.tools} testId="mcp-tools" />
            <ItemList
              title={t("mcp.resources")}
              items={view.info.resources}
              testId="mcp-resources"
            />
            <ItemList title={t("mcp.prompts")} items={view.info.prompts} testId="mcp-prompts" />
          </div>
        ) : null}
        {view.kind === "log" ? (
          view.lines.length === 0 ? (
            <p className="field-hint" data-testid="mcp-log-empty">
              {t("mcp.logEmpty")}
            </p>
          ) : (
            <pre className="mcp-log" data-testid="mcp-log-lines">
              {view.lines.join("\n")}
            </pre>
          )
        ) : null}
      </div>
    </section>
  );
}
