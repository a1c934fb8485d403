import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TaskButton, TaskOutcome } from "./TaskParts";
import * as ipc from "../../../ipc";
import type { BackupInfo, StorageInfo } from "../../../ipc";
import { backupFileName, formatSize } from "../fileNames";
import { useTask } from "../hooks/useTask";
import { BackupList } from "./BackupList";

/** Where the database is, its size and health, backing up and the backups to restore. */
export function DatabaseSection() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [saved, setSaved] = useState<BackupInfo | null>(null);
  const task = useTask();
  const { run } = task;

  const refresh = useCallback(
    () =>
      run("load", async () => {
        const [storage, list] = await Promise.all([ipc.getStorageInfo(), ipc.listBackups()]);
        setInfo(storage);
        setBackups(list);
      }),
    [run],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const backUp = async (toFile: boolean) => {
    setSaved(null);
    const copy = await run(toFile ? "saveCopy" : "backup", async () => {
      const path = toFile ? await ipc.chooseSavePath("database", backupFileName()) : null;
      if (toFile && path === null) return null;
      return ipc.backupDatabase(path);
    });
    if (copy) {
      setSaved(copy);
      void refresh();
    }
  };

  const size = (bytes: number) => formatSize(bytes, i18n.language);
  return (
    <section className="settings-section" aria-labelledby="data-db-title">
      <h3 className="settings-section__title" id="data-db-title">
        {t("data.db.heading")}
      </h3>
      {info ? (
        <dl className="readonly-fields data-facts">
          <dt>{t("data.db.location")}</dt>
          <dd className="mono data-facts__path" data-testid="data-db-path">
            {info.dbPath}
          </dd>
          <dt>{t("data.db.size")}</dt>
          <dd data-testid="data-db-size">
            {info.walSizeBytes > 0
              ? t("data.db.sizeWithWal", {
                  size: size(info.dbSizeBytes),
                  wal: size(info.walSizeBytes),
                })
              : size(info.dbSizeBytes)}
          </dd>
          <dt>{t("data.db.attachments")}</dt>
          <dd data-testid="data-attachments-size">{size(info.attachmentsBytes)}</dd>
          <dt>{t("data.db.health")}</dt>
          <dd data-testid="data-db-health">
            {info.quickCheckOk ? (
              <span className="data-health data-health--ok">{t("data.db.healthOk")}</span>
            ) : (
              <span className="data-health data-health--bad">{t("data.db.healthBad")}</span>
            )}
            {info.quickCheckOk ? null : (
              <span className="data-facts__detail">{info.quickCheckMessage}</span>
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">{t("settings.loading")}</p>
      )}
      <div className="data-actions">
        <TaskButton
          task={task}
          name="backup"
          variant="primary"
          onClick={() => void backUp(false)}
          label={t("data.db.backupNow")}
          busyLabel={t("data.db.backingUp")}
          testId="data-backup-now"
        />
        <TaskButton
          task={task}
          onClick={() => void backUp(true)}
          label={t("data.db.saveCopy")}
          testId="data-backup-save-as"
        />
      </div>
      <TaskOutcome
        task={task}
        status={
          saved
            ? t("data.db.backupDone", { file: saved.fileName, size: size(saved.sizeBytes) })
            : null
        }
        statusTestId="data-backup-done"
      />
      <h4 className="data-subheading">{t("data.backups.heading")}</h4>
      <BackupList backups={backups} />
    </section>
  );
}
