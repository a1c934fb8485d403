import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { Markdown } from "../../chat/components/Markdown";
import { errorDetails } from "../../../i18n/errorText";
import { formatMessageTime } from "../../../i18n/format";
import { toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";
import { usePreferences } from "../store/preferencesStore";
import { useUpdates } from "../store/updatesStore";
import type { UpdatePhase } from "../store/updatesStore";

function Progress({ phase }: { phase: Extract<UpdatePhase, { kind: "installing" }> }) {
  const { t } = useTranslation();
  const { downloaded, total, verified } = phase;
  const percent = total ? Math.min(100, Math.round((downloaded / total) * 100)) : null;
  const mib = (downloaded / (1024 * 1024)).toFixed(1);
  return (
    <div className="data-progress" data-testid="update-progress">
      <div
        className="data-progress__bar"
        role="progressbar"
        aria-label={t("updates.progressLabel")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={verified ? 100 : (percent ?? undefined)}
      >
        <span style={{ width: `${verified ? 100 : (percent ?? 0)}%` }} />
      </div>
      <p className="data-progress__text" aria-live="polite">
        {verified
          ? t("updates.installing")
          : percent === null
            ? t("updates.downloadingBytes", { mib })
            : t("updates.downloading", { percent })}
      </p>
    </div>
  );
}

/** What the last check or install said. */
function Result({ phase, current }: { phase: UpdatePhase; current: string }) {
  const { t, i18n } = useTranslation();
  const { install, restart } = useUpdates.getState();
  const installable = useUpdates((s) => s.version?.installable ?? false);
  switch (phase.kind) {
    case "idle":
      return null;
    case "checking":
      return (
        <p className="settings-field__hint" role="status" data-testid="update-status">
          {t("updates.checking")}
        </p>
      );
    case "upToDate":
      return (
        <p className="field-success" role="status" data-testid="update-status">
          {t("updates.upToDate", { version: current })}
        </p>
      );
    case "failed":
      return <UpdateError error={phase.error} current={current} />;
    case "installed":
      return (
        <div className="update-result" data-testid="update-installed">
          <p className="field-success" role="status" data-testid="update-status">
            {t("updates.installed", { version: phase.update.version })}
          </p>
          <Button variant="primary" onClick={() => void restart()} data-testid="update-restart">
            {t("updates.restart")}
          </Button>
        </div>
      );
    case "found":
    case "installing": {
      const { update } = phase;
      return (
        <div className="update-result" data-testid="update-found">
          <p className="update-result__title" role="status" data-testid="update-status">
            {t("updates.available", { version: update.version })}
            {update.publishedAt !== null ? (
              <span className="update-result__date">
                {" · "}
                {formatMessageTime(update.publishedAt, i18n.language)}
              </span>
            ) : null}
          </p>
          {update.notes ? (
            <div className="update-result__notes" data-testid="update-notes">
              <Markdown text={update.notes} />
            </div>
          ) : null}
          {phase.kind === "installing" ? (
            <Progress phase={phase} />
          ) : installable ? (
            <Button variant="primary" onClick={() => void install()} data-testid="update-install">
              {t("updates.install")}
            </Button>
          ) : (
            <p className="settings-field__hint" data-testid="update-not-installable">
              {t("updates.notInstallable")}
            </p>
          )}
        </div>
      );
    }
  }
}

function UpdateError({ error, current }: { error: IpcError; current: string }) {
  const { t } = useTranslation();
  return (
    <Notice
      title={t(`errors.${error.code}`, { version: current })}
      details={errorDetails(error)}
      data-testid="update-error"
    />
  );
}

/** The version that runs, a check for a newer one, its notes, its install and the restart. */
export function UpdatesSection() {
  const { t } = useTranslation();
  const id = useId();
  const version = useUpdates((s) => s.version);
  const phase = useUpdates((s) => s.phase);
  const atStart = usePreferences((s) => s.value?.checkUpdatesAtStart ?? false);
  const loaded = usePreferences((s) => s.value !== null);
  const save = usePreferences((s) => s.save);
  const [saveError, setSaveError] = useState<IpcError | null>(null);
  const busy = phase.kind === "checking" || phase.kind === "installing";
  const current = version?.version ?? "";

  useEffect(() => {
    void useUpdates.getState().load();
  }, []);

  const changeAtStart = async (checked: boolean) => {
    setSaveError(null);
    try {
      await save({ checkUpdatesAtStart: checked });
    } catch (e) {
      setSaveError(toIpcError(e));
    }
  };

  return (
    <section className="settings-section" data-testid="updates-settings">
      <h3 className="settings-section__title">{t("updates.heading")}</h3>
      <div className="settings-field">
        <div className="settings-field__text">
          <span className="settings-field__label">{t("updates.version")}</span>
          <p className="settings-field__hint" data-testid="update-version">
            {version ? t("updates.running", { version: version.version }) : "…"}
          </p>
        </div>
        <div className="settings-field__control">
          <Button
            size="sm"
            disabled={busy || phase.kind === "installed"}
            onClick={() => void useUpdates.getState().check()}
            data-testid="update-check"
          >
            {t("updates.check")}
          </Button>
        </div>
      </div>
      <Result phase={phase} current={current} />
      <div className="settings-field">
        <div className="settings-field__text">
          <label className="settings-field__label" htmlFor={`${id}-start`}>
            {t("updates.atStart")}
          </label>
          <p className="settings-field__hint" id={`${id}-start-hint`}>
            {t("updates.atStartHint")}
          </p>
        </div>
        <div className="settings-field__control">
          <input
            id={`${id}-start`}
            className="checkbox"
            type="checkbox"
            checked={atStart}
            disabled={!loaded}
            aria-describedby={`${id}-start-hint`}
            onChange={(event) => void changeAtStart(event.target.checked)}
            data-testid="setting-checkUpdatesAtStart"
          />
        </div>
      </div>
      {saveError ? <UpdateError error={saveError} current={current} /> : null}
    </section>
  );
}
