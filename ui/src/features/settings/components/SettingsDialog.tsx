import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { DefaultProviderSection } from "./DefaultProviderSection";
import { AppearanceSection } from "./AppearanceSection";
import { ChatSettingsSection } from "./ChatSettingsSection";
import { DiagnosticsSection } from "./DiagnosticsSection";
import { PricesSection } from "./PricesSection";
import { UpdatesSection } from "./UpdatesSection";

/** Mounted only while open, so each opening reads fresh status from the core. */
function SettingsContent() {
  return (
    <>
      <DefaultProviderSection />
      <AppearanceSection />
      <ChatSettingsSection />
      <PricesSection />
      <DiagnosticsSection />
      <UpdatesSection />
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
