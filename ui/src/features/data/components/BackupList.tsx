import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatMessageTime } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { BackupInfo } from "../../../ipc";
import { formatSize } from "../fileNames";
import { useTask } from "../hooks/useTask";

/** The copies in the backups folder, newest first, each with Restore (after a confirmation). */
export function BackupList({ backups }: { backups: BackupInfo[] | null }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const task = useTask();

  if (backups === null) return null;
  if (backups.length === 0) {
    return <p className="muted data-empty">{t("data.backups.none")}</p>;
  }
  const when = (backup: BackupInfo) => formatMessageTime(backup.createdAt, i18n.language);
  const restore = async (backup: BackupInfo) => {
    // The core schedules the swap and restarts the app; nothing more happens here.
    const done = await task.run("restore", async () => {
      await ipc.restoreBackup(backup.path);
      return true;
    });
    if (!done) return;
    setConfirming(null);
  };

  return (
    <>
      <ul className="data-backups" data-testid="data-backups">
        {backups.map((backup) => (
          <li key={backup.path} className="data-backups__item">
            <div className="data-backups__text">
              <span className="data-backups__when">{when(backup)}</span>
              <span className="data-backups__meta">
                {t(`data.backups.kind.${backup.kind ?? "other"}`)} ·{" "}
                {formatSize(backup.sizeBytes, i18n.language)}
              </span>
            </div>
            <Button
              size="sm"
              onClick={() => {
                task.clearError();
                setConfirming(backup);
              }}
              aria-label={t("data.backups.restoreLabel", { when: when(backup) })}
            >
              {t("data.backups.restore")}
            </Button>
          </li>
        ))}
      </ul>
      <Dialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open && task.busy === null) setConfirming(null);
        }}
        role="alertdialog"
        size="sm"
        title={t("data.restore.title")}
        description={confirming ? t("data.restore.what", { when: when(confirming) }) : undefined}
        footer={
          <>
            <Button onClick={() => setConfirming(null)} disabled={task.busy !== null}>
              {t("data.restore.cancel")}
            </Button>
            <Button
              variant="danger"
              onClick={() => confirming && void restore(confirming)}
              disabled={task.busy !== null}
              data-testid="data-restore-confirm"
            >
              {task.busy ? t("data.restore.restarting") : t("data.restore.confirm")}
            </Button>
          </>
        }
      >
        <ul className="data-restore-points">
          <li>{t("data.restore.restart")}</li>
          <li>{t("data.restore.replaced")}</li>
          <li>{t("data.restore.kept")}</li>
        </ul>
        {task.error ? (
          <Notice title={errorText(t, task.error)} details={errorDetails(task.error)} />
        ) : null}
      </Dialog>
    </>
  );
}
