import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { errorText } from "../../../i18n/errorText";
import { useProviderSettings } from "../hooks/useProviderSettings";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { ApiKeySection } from "./ApiKeySection";
import { AppearanceSection } from "./AppearanceSection";
import { ChatSettingsSection } from "./ChatSettingsSection";
import { DiagnosticsSection } from "./DiagnosticsSection";

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

/** Mounted only while open, so each opening reads fresh status from the core. */
function SettingsContent() {
  const settings = useProviderSettings();
  return (
    <>
      <ApiKeySection {...settings} />
      <ProviderSection provider={settings.provider} />
      <AppearanceSection />
      <ChatSettingsSection />
      <DiagnosticsSection />
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
