import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatBytes, formatMessageTime } from "../../../i18n/format";
import {
  type BackupInfo,
  type IpcError,
  type StartupStatus,
  restartApp,
  toIpcError,
} from "../../../ipc";
import { useStartup } from "../store/startupStore";

/**
 * Shown instead of the app when the database could not be opened: what happened, where the
 * file is, and the backups that can bring the history back. Nothing here writes to the
 * damaged file; a restore keeps it as a `pre-restore` copy.
 */
export function RecoveryScreen({ status }: { status: StartupStatus }) {
  const { t, i18n } = useTranslation();
  const { restoring, restoreError, restore } = useStartup();
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [restarting, setRestarting] = useState(false);
  const [restartError, setRestartError] = useState<IpcError | null>(null);
  // The last thing that failed: a restore, or the restart.
  const failure = restoreError ?? restartError;
  const code = status.state.kind === "recovery_needed" ? status.state.code : "internal";
  const language = i18n.language;
  // The restore button in the list would restore this one.
  const latest = status.backups[0];

  return (
    <main className="recovery" data-testid="recovery-screen">
      <div className="recovery__card">
        <h1 className="recovery__title">{t("startup.title")}</h1>
        <p className="recovery__reason" data-testid="recovery-reason">
          <strong>{t(`errorShort.${code}`)}.</strong> {t(`errors.${code}`)}
        </p>
        {status.message ? (
          <details className="recovery__details">
            <summary>{t("startup.technical")}</summary>
            <code>{status.message}</code>
          </details>
        ) : null}
        <p className="recovery__path">
          <span>{t("startup.dbFile")}</span>
          <code data-testid="recovery-db-path">{status.dbPath}</code>
        </p>

        <h2 className="recovery__heading">{t("startup.backups")}</h2>
        {status.backups.length === 0 ? (
          <p className="recovery__empty" data-testid="recovery-no-backups">
            {t("startup.noBackups")}
          </p>
        ) : (
          <ul className="recovery__backups" aria-label={t("startup.backups")}>
            {status.backups.map((backup) => (
              <li key={backup.path} className="recovery__backup" data-testid="recovery-backup">
                <div className="recovery__backup-info">
                  <span className="recovery__backup-date">
                    {formatMessageTime(backup.createdAt, language)}
                    {backup === latest ? (
                      <span className="recovery__badge">{t("startup.latest")}</span>
                    ) : null}
                  </span>
                  <span className="recovery__backup-meta">
                    {t(`startup.kind.${backup.kind ?? "other"}`)} ·{" "}
                    {formatBytes(backup.sizeBytes, language)}
                  </span>
                </div>
                <Button
                  variant={backup === latest ? "primary" : "secondary"}
                  size="sm"
                  disabled={restoring !== null}
                  onClick={() => setConfirming(backup)}
                >
                  {t("startup.restore")}
                </Button>
              </li>
            ))}
          </ul>
        )}

        {failure ? (
          <Notice
            title={errorText(t, failure)}
            details={errorDetails(failure)}
            data-testid="recovery-error"
          />
        ) : null}
        {restoring ? (
          <p className="recovery__status" role="status">
            {t("startup.restoring")}
          </p>
        ) : null}

        <div className="recovery__footer">
          <p>{t("startup.restartHint")}</p>
          <Button
            disabled={restarting || restoring !== null}
            onClick={() => {
              setRestarting(true);
              setRestartError(null);
              restartApp().catch((error: unknown) => {
                setRestarting(false);
                setRestartError(toIpcError(error));
              });
            }}
          >
            {t("startup.restart")}
          </Button>
        </div>
      </div>

      <Dialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
        title={t("startup.confirmTitle")}
        role="alertdialog"
        size="sm"
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirming(null)}>
              {t("startup.cancel")}
            </Button>
            <Button
              variant="primary"
              data-testid="recovery-confirm"
              onClick={() => {
                const backup = confirming;
                setConfirming(null);
                if (backup) void restore(backup.path);
              }}
            >
              {t("startup.restoreAndRestart")}
            </Button>
          </>
        }
      >
        <p>
          {confirming
            ? t("startup.confirmBody", {
                date: formatMessageTime(confirming.createdAt, language),
              })
            : null}
        </p>
      </Dialog>
    </main>
  );
}
