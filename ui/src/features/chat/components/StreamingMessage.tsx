import { useTranslation } from "react-i18next";
import { errorShortText } from "../../../i18n/errorText";
import { DEFAULT_PREFERENCES, usePreferences } from "../../settings/store/preferencesStore";
import { useClock } from "../hooks/useClock";
import { useFrameText } from "../hooks/useFrameText";
import type { Part } from "../../../ipc";
import type { StreamState, StreamStatus } from "../store/chatStore";
import { ReplySteps } from "../tools/ReplySteps";
import { ReplySources } from "../sources/ReplySources";
import { Markdown } from "./Markdown";
import { ThinkingBlock } from "./ThinkingBlock";

/** What the reply is waiting for, with a live counter where there is one. */
function StatusText({ status }: { status: StreamStatus }) {
  const { t } = useTranslation();
  const now = useClock();
  const autoResume = usePreferences((s) => s.value?.autoResume ?? DEFAULT_PREFERENCES.autoResume);
  switch (status.kind) {
    case "queued":
      return status.reason === "rate_limit"
        ? t("chat.status.queuedRateLimit")
        : t("chat.status.queuedConcurrency");
    case "retrying": {
      const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
      const reason = errorShortText(t, status.code);
      return seconds > 0
        ? t("chat.status.retrying", { reason, seconds, attempt: status.attempt })
        : t("chat.status.retryingNow", { reason, attempt: status.attempt });
    }
    case "resuming": {
      // The engine tries up to the `autoResume` setting's number of times.
      const total = Math.max(status.attempt, autoResume);
      return t("chat.status.resuming", { attempt: status.attempt, total });
    }
    case "waiting":
      return t("chat.status.waiting", {
        seconds: Math.max(0, Math.floor((now - status.since) / 1000)),
      });
  }
}

function statusKey(status: StreamStatus): string {
  switch (status.kind) {
    case "queued":
      return `queued-${status.reason}`;
    case "retrying":
    case "resuming":
      return `${status.kind}-${status.retryAt}`;
    case "waiting":
      return `waiting-${status.since}`;
  }
}

const NO_PARTS: Part[] = [];

/**
 * The reply being written: its finished tool steps, then the text so far and a blinking
 * cursor, or dots before the first word.
 */
export function StreamingMessage({
  stream,
}: {
  stream: Pick<
    StreamState,
    "text" | "status" | "stopping" | "reasoning" | "reasoningSince" | "answerSince"
  > &
    // A try-out has no tool steps.
    Partial<Pick<StreamState, "steps" | "openCalls" | "conversationId">>;
}) {
  const { t } = useTranslation();
  const { status, stopping, reasoningSince, answerSince } = stream;
  const text = useFrameText(stream.text);
  const reasoning = useFrameText(stream.reasoning);
  // Only whitespace so far counts as nothing yet: the dots (or the thinking) still show.
  const answering = text.trim() !== "";
  const thinking =
    reasoning !== "" ? (
      <ThinkingBlock
        text={reasoning}
        live={!answering}
        since={reasoningSince}
        durationMs={
          reasoningSince !== null && answerSince !== null ? answerSince - reasoningSince : null
        }
      />
    ) : null;
  const retrying = status?.kind === "retrying" || status?.kind === "resuming";
  const steps =
    stream.steps && stream.steps.length > 0 ? (
      <ReplySteps
        parts={stream.steps}
        openCalls={stream.openCalls}
        conversationId={stream.conversationId}
      />
    ) : null;
  // A call waiting or running shows where it stands itself: no dots beside it.
  const toolOpen = Object.keys(stream.openCalls ?? {}).length > 0;

  const statusLine =
    stopping || status ? (
      <p
        className={`stream-status${retrying ? " stream-status--warning" : ""}`}
        data-testid="stream-status"
        title={retrying ? status.message : undefined}
      >
        {stopping ? (
          t("chat.status.stopping")
        ) : status ? (
          <StatusText key={statusKey(status)} status={status} />
        ) : null}
      </p>
    ) : null;

  return (
    <article
      className="message message--assistant message--streaming"
      data-testid="streaming-message"
      aria-label={t("chat.streaming")}
      aria-busy="true"
    >
      <ReplySources parts={stream.steps ?? NO_PARTS}>
        {!answering ? (
          // Before the first words: the thinking so far, or the dots, and beside them what the
          // reply waits for.
          <div className="message__body">
            {steps}
            {thinking}
            {toolOpen && !statusLine ? null : (
              <div className="stream-waiting">
                {thinking || toolOpen ? null : (
                  <span className="typing" role="status" aria-label={t("chat.thinking")}>
                    <span />
                    <span />
                    <span />
                  </span>
                )}
                {statusLine}
              </div>
            )}
          </div>
        ) : (
          <>
            <div className="message__body">
              {steps}
              {thinking}
              {/* The cursor is drawn by CSS after the last block, so it sits at the end of the text. */}
              <Markdown text={text} streaming />
            </div>
            {statusLine}
          </>
        )}
      </ReplySources>
    </article>
  );
}
