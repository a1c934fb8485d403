import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { onUpdateFound } from "../../../ipc";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { useUpdates } from "../store/updatesStore";

/**
 * When the check at start (if the person turned it on) finds a newer version: says so, and
 * opens Settings, where its notes and the install are. Until closed.
 */
export function UpdateNotice() {
  const { t } = useTranslation();
  const phase = useUpdates((s) => s.phase);
  const dismissed = useUpdates((s) => s.noticeDismissed);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    onUpdateFound((update) => useUpdates.getState().announce(update))
      .then((unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      })
      .catch(() => {
        // No event bridge (a plain browser): there is no check at start either.
      });
    // Found before the listener was in place.
    void useUpdates.getState().load();
    return () => {
      gone = true;
      stop?.();
    };
  }, []);

  if (dismissed || phase.kind !== "found") return null;
  const { dismissNotice } = useUpdates.getState();
  return (
    <Notice
      tone="info"
      className="restored-notice"
      title={t("updates.available", { version: phase.update.version })}
      actions={
        <Button
          size="sm"
          onClick={() => {
            dismissNotice();
            useSettingsDialog.getState().setOpen(true);
          }}
          data-testid="update-notice-open"
        >
          {t("updates.openSettings")}
        </Button>
      }
      dismissLabel={t("startup.dismiss")}
      onDismiss={dismissNotice}
      data-testid="update-notice"
    />
  );
}
