import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";
import { usePreferences } from "../store/preferencesStore";
import type { Preferences } from "../store/preferencesStore";

export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;

/** The log level: stored the moment it changes, and applied at once, without a restart. */
export function DiagnosticsSection() {
  const { t } = useTranslation();
  const id = useId();
  const value = usePreferences((s) => s.value);
  const save = usePreferences((s) => s.save);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState(false);
  const disabled = value === null;

  const change = async (patch: Partial<Pick<Preferences, "logLevel">>) => {
    setError(null);
    setSaved(false);
    try {
      await save(patch);
      setSaved(true);
    } catch (e) {
      setError(toIpcError(e));
    }
  };

  return (
    <section className="settings-section" data-testid="diagnostics-settings">
      <h3 className="settings-section__title">{t("settings.diagnosticsHeading")}</h3>
      <div className="settings-field">
        <div className="settings-field__text">
          <label className="settings-field__label" htmlFor={`${id}-level`}>
            {t("settings.logLevel")}
          </label>
          <p className="settings-field__hint" id={`${id}-level-hint`}>
            {t("settings.logLevelHint")}
          </p>
        </div>
        <div className="settings-field__control">
          <select
            id={`${id}-level`}
            className="select"
            value={value?.logLevel ?? "info"}
            disabled={disabled}
            aria-describedby={`${id}-level-hint`}
            onChange={(event) => void change({ logLevel: event.target.value })}
            data-testid="setting-logLevel"
          >
            {LOG_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`settings.logLevels.${level}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {saved ? (
        <p className="field-success" role="status" data-testid="diagnostics-saved">
          {t("settings.saved")}
        </p>
      ) : null}
      {error ? (
        <Notice
          title={errorText(t, error)}
          details={errorDetails(error)}
          data-testid="diagnostics-error"
        />
      ) : null}
    </section>
  );
}
