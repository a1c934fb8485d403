import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { LANGUAGES } from "../../../i18n";
import type { Language, LanguagePreference } from "../../../i18n";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";
import { applyAppearance, usePreferences } from "../store/preferencesStore";
import type { Preferences } from "../store/preferencesStore";
import { THEMES } from "../theme";
import type { Theme } from "../theme";

/** Each language named in itself, so anyone can find their own. */
const LANGUAGE_NAMES: Record<Language, string> = { en: "English", "zh-CN": "简体中文" };
const SYSTEM = "system";

const THEME_LABEL = {
  system: "settings.themeSystem",
  light: "settings.themeLight",
  dark: "settings.themeDark",
} as const;

/** Language and theme: applied the moment they change, then stored. */
export function AppearanceSection() {
  const { t } = useTranslation();
  const id = useId();
  const value = usePreferences((s) => s.value);
  const save = usePreferences((s) => s.save);
  const [error, setError] = useState<IpcError | null>(null);
  const disabled = value === null;

  const change = async (patch: Partial<Pick<Preferences, "language" | "theme">>) => {
    if (!value) return;
    setError(null);
    await applyAppearance({ ...value, ...patch });
    try {
      await save(patch);
    } catch (e) {
      // Not stored: go back to what is, so the next start does not surprise anyone.
      setError(toIpcError(e));
      await applyAppearance(value);
    }
  };

  const details = error ? errorDetails(error) : null;

  return (
    <section className="settings-section" data-testid="appearance-settings">
      <h3 className="settings-section__title">{t("settings.appearanceHeading")}</h3>
      <div className="settings-field">
        <div className="settings-field__text">
          <label className="settings-field__label" htmlFor={`${id}-language`}>
            {t("settings.languageLabel")}
          </label>
        </div>
        <div className="settings-field__control">
          <select
            id={`${id}-language`}
            className="select"
            value={value?.language ?? SYSTEM}
            disabled={disabled}
            onChange={(event) => {
              const next = event.target.value;
              void change({ language: next === SYSTEM ? null : (next as LanguagePreference) });
            }}
            data-testid="setting-language"
          >
            <option value={SYSTEM}>{t("settings.languageSystem")}</option>
            {LANGUAGES.map((lng) => (
              <option key={lng} value={lng}>
                {LANGUAGE_NAMES[lng]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="settings-field">
        <div className="settings-field__text">
          <span className="settings-field__label" id={`${id}-theme`}>
            {t("settings.themeLabel")}
          </span>
        </div>
        <div
          className="settings-field__control segmented"
          role="radiogroup"
          aria-labelledby={`${id}-theme`}
          data-testid="setting-theme"
        >
          {THEMES.map((theme: Theme) => (
            <label key={theme} className="segmented__option">
              <input
                type="radio"
                name={`${id}-theme`}
                value={theme}
                checked={(value?.theme ?? "system") === theme}
                disabled={disabled}
                onChange={() => void change({ theme })}
              />
              <span>{t(THEME_LABEL[theme])}</span>
            </label>
          ))}
        </div>
      </div>
      {error ? <Notice title={errorText(t, error)} details={details} /> : null}
    </section>
  );
}
