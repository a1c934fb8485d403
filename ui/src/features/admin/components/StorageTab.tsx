import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatBytes, formatNumber } from "../../../i18n/format";
import { useAdmin } from "../store/adminStore";

/** Where the history and the logs are, how big and healthy the database is, backup now. */
export function StorageTab() {
  const { t, i18n } = useTranslation();
  const { storage, backup, loadStorage, backupNow } = useAdmin();
  const language = i18n.language;

  useEffect(() => {
    void useAdmin.getState().loadStorage();
  }, []);

  if (storage.status === "loading") {
    return (
      <div className="admin-loading">
        <Spinner label={t("admin.loading")} />
      </div>
    );
  }
  if (storage.status === "error") {
    return (
      <Notice
        title={errorText(t, storage.error)}
        details={errorDetails(storage.error)}
        actions={
          <Button size="sm" onClick={() => void loadStorage()}>
            {t("admin.retry")}
          </Button>
        }
      />
    );
  }
  const { info, logDir } = storage.value;
  return (
    <div className="admin-storage" data-testid="admin-storage">
      <dl className="readonly-fields admin-fields">
        <dt>{t("admin.dbPath")}</dt>
        <dd className="mono" data-testid="admin-db-path">
          {info.dbPath}
        </dd>
        <dt>{t("admin.dbSize")}</dt>
        <dd data-testid="admin-db-size">
          {formatBytes(info.dbSizeBytes, language)}
          {info.walSizeBytes > 0
            ? ` ${t("admin.walSize", { size: formatBytes(info.walSizeBytes, language) })}`
            : ""}
        </dd>
        <dt>{t("admin.health")}</dt>
        <dd className={info.quickCheckOk ? "field-success" : "admin-table__bad"}>
          {info.quickCheckOk ? t("admin.healthOk") : info.quickCheckMessage}
        </dd>
        <dt>{t("admin.backups")}</dt>
        <dd>
          {t("admin.backupCount", {
            count: info.backupCount,
            n: formatNumber(info.backupCount, language),
          })}
          <span className="mono admin-fields__sub">{info.backupDir}</span>
        </dd>
        <dt>{t("admin.logDir")}</dt>
        <dd className="mono" data-testid="admin-log-dir">
          {logDir}
        </dd>
      </dl>
      <div className="admin-storage__actions">
        <Button
          variant="primary"
          disabled={backup.status === "working"}
          onClick={() => void backupNow()}
          data-testid="admin-backup"
        >
          {backup.status === "working" ? t("admin.backingUp") : t("admin.backupNow")}
        </Button>
        {backup.status === "done" ? (
          <p className="field-success" role="status" data-testid="admin-backup-done">
            {t("admin.backupDone", {
              file: backup.copy.fileName,
              size: formatBytes(backup.copy.sizeBytes, language),
            })}
          </p>
        ) : null}
      </div>
      {backup.status === "error" ? (
        <Notice title={errorText(t, backup.error)} details={errorDetails(backup.error)} />
      ) : null}
    </div>
  );
}
