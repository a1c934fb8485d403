import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { KnowledgeBase } from "../../../ipc";
import { useIndexing } from "../store/useIndexing";
import { fileReason, splitPath } from "./fileReason";

/**
 * Where a base's indexing stands: a bar of files done out of all, the file being read, and
 * Pause / Resume / Cancel while it runs or Re-index when it does not.
 */
export function IndexingPanel({
  base,
  version,
  onAdvance,
}: {
  base: KnowledgeBase;
  /** Goes up when sources were added or removed: read again at once. */
  version: number;
  onAdvance: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { progress, error, act } = useIndexing(base.id, version, onAdvance);
  const lng = i18n.language;
  if (!progress) return null;
  const { state, current, stoppedBy } = progress;
  // A run counts its own files; between runs the base's counts say where it stands.
  const running = state === "running";
  const done = running ? progress.done : base.counts.files - base.counts.pending;
  const total = running ? progress.total : base.counts.files;
  const percent = total > 0 ? Math.round((done / total) * 100) : 100;
  const busy = state !== "idle";

  return (
    <section
      className={`kb-indexing kb-indexing--${state}`}
      data-testid="kb-indexing"
      data-state={state}
      aria-label={t("knowledge.indexing")}
    >
      <div className="kb-indexing__line">
        <span className="kb-indexing__state" data-testid="kb-indexing-state">
          {state === "running"
            ? t("knowledge.stateRunning")
            : state === "paused"
              ? t("knowledge.statePaused")
              : done < total
                ? t("knowledge.stateStopped")
                : t("knowledge.stateDone")}
        </span>
        <span className="kb-indexing__count" data-testid="kb-indexing-count">
          {t("knowledge.filesDone", {
            done: formatNumber(done, lng),
            total: formatNumber(total, lng),
          })}
        </span>
      </div>
      <div
        className="kb-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label={t("knowledge.indexing")}
      >
        <span className="kb-progress__bar" style={{ width: `${percent}%` }} />
      </div>
      {current && state === "running" ? (
        <p className="kb-indexing__current mono" title={current} data-testid="kb-indexing-current">
          {t("knowledge.reading", { name: splitPath(current).name })}
        </p>
      ) : null}
      {stoppedBy && state === "idle" ? (
        <p className="field-hint" data-testid="kb-stopped-by">
          {stoppedBy === "cancelled"
            ? t("knowledge.cancelledHint")
            : t("knowledge.stoppedBy", { reason: fileReason(t, stoppedBy) })}
        </p>
      ) : null}
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      <div className="kb-indexing__actions">
        {state === "running" ? (
          <Button size="sm" onClick={() => void act(ipc.pauseKnowledge)} data-testid="kb-pause">
            {t("knowledge.pause")}
          </Button>
        ) : null}
        {state === "paused" || (state === "idle" && done < total) ? (
          <Button size="sm" onClick={() => void act(ipc.resumeKnowledge)} data-testid="kb-resume">
            {t("knowledge.resume")}
          </Button>
        ) : null}
        {busy ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void act(ipc.cancelKnowledge)}
            data-testid="kb-cancel"
          >
            {t("knowledge.cancel")}
          </Button>
        ) : (
          <Button
            size="sm"
            variant="ghost"
            disabled={total === 0}
            onClick={() => void act(ipc.reindexKnowledge)}
            data-testid="kb-reindex"
          >
            {t("knowledge.reindex")}
          </Button>
        )}
      </div>
    </section>
  );
}
