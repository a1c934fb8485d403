import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { useStartup } from "../store/startupStore";

/** After a restore: says which backup the history now comes from, until closed. */
export function RestoredNotice() {
  const { t } = useTranslation();
  const { status, noticeDismissed, dismissNotice } = useStartup();
  if (noticeDismissed || status?.state.kind !== "restored_backup") return null;
  const file = status.state.backup.split(/[\\/]/).pop() ?? status.state.backup;
  return (
    <Notice
      tone="info"
      className="restored-notice"
      title={t("startup.restoredTitle")}
      details={t("startup.restoredBody", { file })}
      dismissLabel={t("startup.dismiss")}
      onDismiss={dismissNotice}
      data-testid="restored-notice"
    />
  );
}
