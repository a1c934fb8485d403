import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { AlertIcon, CheckIcon, StopIcon } from "../../../components/ui/icons";
import { formatNumber } from "../../../i18n/format";
import { useClock } from "../hooks/useClock";
import { formatDuration } from "../components/duration";
import { useChatStore } from "../store/chatStore";
import type { OpenToolCall } from "../store/toolSteps";
import { prettyArguments, type ToolCallPart, type ToolResultPart } from "./segments";
import { ToolText } from "./ToolText";

/** Where a row's call stands, from its result or (while the reply streams) its live state. */
type RowStatus = "running" | "refused" | "done" | "failed" | "unanswered";

const STATUS_TEXT = {
  running: "chat.tools.statusRunning",
  refused: "chat.tools.statusRefused",
  done: "chat.tools.statusDone",
  failed: "chat.tools.statusFailed",
  unanswered: "chat.tools.statusUnanswered",
} as const;

function statusOf(result: ToolResultPart | null, open: OpenToolCall | undefined): RowStatus {
  if (result) return result.isError ? "failed" : "done";
  if (open?.status === "refused") return "refused";
  return open ? "running" : "unanswered";
}

/** The first line of an error, short enough for the row: the reason at a glance. */
function gist(text: string): string {
  const line = text.trim().split("\n", 1)[0] ?? "";
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

function StatusIcon({ status }: { status: RowStatus }) {
  if (status === "running") return <span className="spinner__ring" aria-hidden="true" />;
  if (status === "done") return <CheckIcon />;
  if (status === "unanswered") return <span className="tool-step__dot" aria-hidden="true" />;
  return <AlertIcon />;
}

/** "12.3 s" while it runs. */
function Elapsed({ since }: { since: number }) {
  const { t, i18n } = useTranslation();
  const now = useClock();
  return <>{formatDuration(t, Math.max(0, now - since), i18n.language)}</>;
}

/** A running tool's progress (a bar when its total is known) and the reply's stop. */
function RunningLine({ open, conversationId }: { open: OpenToolCall; conversationId?: string }) {
  const { t, i18n } = useTranslation();
  const stopping = useChatStore((s) =>
    conversationId ? (s.streams[conversationId]?.stopping ?? false) : false,
  );
  const report = open.progress;
  const lng = i18n.language;
  const total = report?.total ?? null;
  const done = report?.progress ?? null;
  const fraction = total !== null && total > 0 && done !== null ? Math.min(done / total, 1) : null;
  let count: string | null = null;
  if (done !== null) {
    count =
      total !== null
        ? t("chat.tools.progress", {
            progress: formatNumber(done, lng),
            total: formatNumber(total, lng),
          })
        : t("chat.tools.progressCount", { progress: formatNumber(done, lng) });
  }
  return (
    <div className="tool-step__running" data-testid="tool-progress">
      {fraction !== null ? (
        <progress className="tool-step__bar" value={fraction} max={1} aria-label={count ?? ""} />
      ) : null}
      <span className="tool-step__progress-text">
        {[report?.message, count].filter(Boolean).join(" · ")}
      </span>
      {conversationId ? (
        <Button
          size="sm"
          variant="ghost"
          icon={<StopIcon />}
          title={t("chat.tools.stopHint")}
          disabled={stopping}
          onClick={() => void useChatStore.getState().stop(conversationId)}
          data-testid="tool-stop"
        >
          {stopping ? t("chat.status.stopping") : t("chat.tools.stop")}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * One tool call of a reply as a compact row (tool, server, status, time), opened to show
 * its arguments and result. Both are the model's or the tool's words: plain text only.
 */
export function ToolCallRow({
  call,
  result,
  open,
  conversationId,
}: {
  call: ToolCallPart;
  result: ToolResultPart | null;
  /** The call's live state while the reply streams and it has no result. */
  open?: OpenToolCall;
  /** The conversation whose reply is streaming (for its stop); absent for a stored reply. */
  conversationId?: string;
}) {
  const { t, i18n } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const status = statusOf(result, open);
  const args = call.arguments.trim() === "" ? null : prettyArguments(call.arguments);
  const failedGist = status === "failed" && result ? gist(result.content) : null;
  let time = null;
  // A call that did not run (refused, denied) has no time worth showing.
  if (result?.durationMs) time = formatDuration(t, result.durationMs, i18n.language);
  else if (status === "running" && open?.runningSince != null) {
    time = <Elapsed since={open.runningSince} />;
  }

  return (
    <div
      className={`tool-step tool-step--${status}`}
      data-testid="tool-step"
      data-status={status}
      data-call-id={call.callId}
    >
      <button
        type="button"
        className="tool-step__head"
        aria-expanded={expanded}
        title={t("chat.tools.details", { name: call.name })}
        onClick={() => setExpanded(!expanded)}
        data-testid="tool-step-toggle"
      >
        <span className="tool-step__caret" aria-hidden="true">
          {expanded ? "▾" : "▸"}
        </span>
        <span className="tool-step__icon">
          <StatusIcon status={status} />
        </span>
        <span className="tool-step__name">{call.name}</span>
        <span className="tool-step__server">{call.server ?? t("chat.tools.unknownServer")}</span>
        <span className="tool-step__status" data-testid="tool-step-status">
          {failedGist || t(STATUS_TEXT[status])}
        </span>
        {time !== null ? <span className="tool-step__time">{time}</span> : null}
      </button>
      {status === "running" && open ? (
        <RunningLine open={open} conversationId={conversationId} />
      ) : null}
      {expanded ? (
        <div className="tool-step__details" data-testid="tool-step-details">
          <div className="tool-step__label">{t("chat.tools.arguments")}</div>
          {args !== null ? (
            <ToolText text={args} testId="tool-arguments" />
          ) : (
            <p className="tool-step__none">{t("chat.tools.noArguments")}</p>
          )}
          <div className="tool-step__label">{t("chat.tools.result")}</div>
          {result ? (
            <ToolText text={result.content} error={result.isError} testId="tool-result" />
          ) : (
            <p className="tool-step__none">{t("chat.tools.resultPending")}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
