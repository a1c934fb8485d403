import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import type { ImportNote, ImportProgress } from "../../../ipc";
import { useImportStore } from "../store/importStore";

/** A note about an import that succeeded, in the interface language. */
export function noteText(t: TFunction, note: ImportNote): string {
  if (note.kind === "agent_missing") {
    return t("data.import.notes.agent_missing", { agent: note.agent, count: note.count });
  }
  return t(`data.import.notes.${note.kind}`, { count: note.count });
}

function Progress({ progress, saving }: { progress: ImportProgress | null; saving: boolean }) {
  const { t, i18n } = useTranslation();
  const percent =
    progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  const counts = progress
    ? t("data.import.counts", {
        conversations: formatNumber(progress.conversations, i18n.language),
        messages: formatNumber(progress.messages, i18n.language),
      })
    : "";
  return (
    <div className="data-progress" data-testid="data-import-progress">
      <div
        className="data-progress__bar"
        role="progressbar"
        aria-label={t("data.import.progressLabel")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={saving ? 100 : percent}
      >
        <span style={{ width: `${saving ? 100 : percent}%` }} />
      </div>
      <p className="data-progress__text" aria-live="polite">
        {saving ? t("data.import.saving") : t("data.import.reading", { percent })}
        {counts ? ` · ${counts}` : ""}
      </p>
    </div>
  );
}

/** Imports a Confab JSON file or ChatGPT's conversations.json, with progress and a summary. */
export function ImportSection() {
  const { t, i18n } = useTranslation();
  const state = useImportStore((s) => s.state);
  const { chooseAndImport, dismiss } = useImportStore.getState();
  const running = state.phase === "reading" || state.phase === "saving";

  return (
    <section className="settings-section" aria-labelledby="data-import-title">
      <h3 className="settings-section__title" id="data-import-title">
        {t("data.import.heading")}
      </h3>
      <div className="data-actions">
        <Button
          onClick={() => void chooseAndImport("confab")}
          disabled={running}
          data-testid="data-import-confab"
        >
          {t("data.import.confab")}
        </Button>
        <Button
          onClick={() => void chooseAndImport("chatgpt")}
          disabled={running}
          data-testid="data-import-chatgpt"
        >
          {t("data.import.chatgpt")}
        </Button>
      </div>
      <p className="field-hint">{t("data.import.hint")}</p>
      {running ? <Progress progress={state.progress} saving={state.phase === "saving"} /> : null}
      {state.phase === "done" ? (
        <Notice
          tone="info"
          className="data-result"
          data-testid="data-import-done"
          title={
            state.summary.conversations === 0
              ? t("data.import.nothingNew")
              : t("data.import.done", {
                  count: state.summary.conversations,
                  messages: formatNumber(state.summary.messages, i18n.language),
                })
          }
          details={
            state.summary.notes.length > 0 ? (
              <span className="data-result__notes">
                {state.summary.notes.map((note, i) => (
                  <span key={i}>{noteText(t, note)}</span>
                ))}
              </span>
            ) : null
          }
          dismissLabel={t("data.dismiss")}
          onDismiss={dismiss}
        />
      ) : null}
      {state.phase === "failed" ? (
        <Notice
          className="data-result"
          data-testid="data-import-failed"
          title={
            state.error.code === "invalid_input"
              ? t("data.import.rejected")
              : errorText(t, state.error)
          }
          details={
            errorDetails(state.error) ? (
              <span className="data-result__problems">{errorDetails(state.error)}</span>
            ) : null
          }
          dismissLabel={t("data.dismiss")}
          onDismiss={dismiss}
        />
      ) : null}
    </section>
  );
}
