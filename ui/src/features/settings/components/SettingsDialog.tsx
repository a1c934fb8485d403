import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { LANGUAGES, changeLanguage, currentLanguage } from "../../../i18n";
import type { Language } from "../../../i18n";
import { errorText } from "../../../i18n/errorText";
import { useProviderSettings } from "../hooks/useProviderSettings";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { ApiKeySection } from "./ApiKeySection";

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", "zh-CN": "简体中文" };

function ProviderSection({ provider }: Pick<ReturnType<typeof useProviderSettings>, "provider">) {
  const { t } = useTranslation();
  const value = (field: "baseUrl" | "model") => {
    if (provider.status === "loading") return t("settings.loading");
    if (provider.status === "error") return "—";
    return provider.value[field];
  };
  return (
    <section className="settings-section">
      <h3 className="settings-section__title">{t("settings.providerHeading")}</h3>
      <dl className="readonly-fields">
        <dt>{t("settings.providerBaseUrl")}</dt>
        <dd className="mono" data-testid="provider-base-url">
          {value("baseUrl")}
        </dd>
        <dt>{t("settings.providerModel")}</dt>
        <dd className="mono" data-testid="provider-model">
          {value("model")}
        </dd>
      </dl>
      {provider.status === "error" ? (
        <p className="field-error">{errorText(t, provider.error)}</p>
      ) : null}
    </section>
  );
}

function LanguageSection() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="settings-section">
      <h3 className="settings-section__title">{t("settings.languageHeading")}</h3>
      <div className="settings-form__inline">
        <label className="field-label" htmlFor={id}>
          {t("settings.languageLabel")}
        </label>
        <select
          id={id}
          className="select"
          value={currentLanguage()}
          onChange={(event) => void changeLanguage(event.target.value as Language)}
        >
          {LANGUAGES.map((lng) => (
            <option key={lng} value={lng}>
              {LANGUAGE_NAMES[lng]}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}

/** Mounted only while open, so each opening reads fresh status from the core. */
function SettingsContent() {
  const settings = useProviderSettings();
  return (
    <>
      <ApiKeySection {...settings} />
      <ProviderSection provider={settings.provider} />
      <LanguageSection />
    </>
  );
}

export function SettingsDialog() {
  const { t } = useTranslation();
  const open = useSettingsDialog((s) => s.open);
  const setOpen = useSettingsDialog((s) => s.setOpen);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("settings.title")}
      description={t("settings.description")}
      closeLabel={t("settings.close")}
    >
      {open ? <SettingsContent /> : null}
    </Dialog>
  );
}
