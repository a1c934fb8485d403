import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { LogInfo } from "../../../ipc";
import { diagnosticsFileName, formatSize } from "../fileNames";
import { useTask } from "../hooks/useTask";

/** The log folder, and the diagnostics report to attach to a bug report. */
export function LogsSection() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<LogInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const task = useTask();
  const { run } = task;

  useEffect(() => {
    void run("load", async () => setInfo(await ipc.getLogInfo()));
  }, [run]);

  const exportDiagnostics = async () => {
    setSaved(null);
    const path = await run("diagnostics", async () => {
      const chosen = await ipc.chooseSavePath("json", diagnosticsFileName());
      if (chosen !== null) await ipc.exportDiagnostics(chosen);
      return chosen;
    });
    if (path) setSaved(path);
  };

  return (
    <section className="settings-section" aria-labelledby="data-logs-title">
      <h3 className="settings-section__title" id="data-logs-title">
        {t("data.logs.heading")}
      </h3>
      {info ? (
        <dl className="readonly-fields data-facts">
          <dt>{t("data.logs.folder")}</dt>
          <dd className="mono data-facts__path" data-testid="data-log-dir">
            {info.dir}
          </dd>
          <dt>{t("data.logs.size")}</dt>
          <dd>
            {info.currentFile
              ? t("data.logs.sizeValue", {
                  today: formatSize(info.currentSizeBytes, i18n.language),
                  total: formatSize(info.totalSizeBytes, i18n.language),
                })
              : t("data.logs.noFile")}
          </dd>
        </dl>
      ) : null}
      <div className="data-actions">
        <Button
          onClick={() => void run("open", () => ipc.openLogFolder())}
          disabled={task.busy !== null}
          data-testid="data-open-logs"
        >
          {t("data.logs.open")}
        </Button>
        <Button
          onClick={() => void exportDiagnostics()}
          disabled={task.busy !== null}
          data-testid="data-diagnostics"
        >
          {task.busy === "diagnostics" ? t("data.logs.exporting") : t("data.logs.diagnostics")}
        </Button>
      </div>
      <p className="field-hint">{t("data.logs.hint")}</p>
      {saved ? (
        <p className="data-status" role="status" data-testid="data-diagnostics-done">
          {t("data.logs.saved", { path: saved })}
        </p>
      ) : null}
      {task.error ? (
        <Notice
          title={errorText(t, task.error)}
          details={errorDetails(task.error)}
          dismissLabel={t("data.dismiss")}
          onDismiss={task.clearError}
        />
      ) : null}
    </section>
  );
}
