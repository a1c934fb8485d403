import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { McpServer } from "../../../ipc";

/** The time now, read again every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [ticking]);
  return now;
}

/**
 * A server's life in a word: off, stopped, starting, running, crashed (with the seconds
 * until it is started again), failed (its reason in the tooltip; the page shows it whole).
 */
export function McpStatusBadge({ server }: { server: McpServer }) {
  const { t } = useTranslation();
  const { status } = server;
  const now = useNow(status.state === "crashed");

  let tone = "idle";
  let text: string;
  let title: string | undefined;
  if (!server.enabled) text = t("mcp.status.off");
  else if (status.state === "crashed") {
    tone = "warn";
    const secs = Math.ceil((status.nextRetryMs - now) / 1000);
    text = secs > 0 ? t("mcp.status.crashedRetry", { secs }) : t("mcp.status.crashedRetryingNow");
    title = t("mcp.status.restarts", { count: status.restarts });
  } else if (status.state === "failed") {
    tone = "bad";
    text = t("mcp.status.failed");
    title = status.message;
  } else {
    if (status.state === "running") tone = "ok";
    text = t(`mcp.status.${status.state}`);
  }
  return (
    <span
      className={`pill mcp-status mcp-status--${tone}`}
      title={title}
      data-testid="mcp-status"
      data-state={server.enabled ? status.state : "off"}
    >
      <span className="mcp-status__dot" aria-hidden="true" />
      {text}
    </span>
  );
}
