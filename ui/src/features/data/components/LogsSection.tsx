import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TaskButton, TaskOutcome } from "./TaskParts";
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
        <TaskButton
          task={task}
          onClick={() => void run("open", () => ipc.openLogFolder())}
          label={t("data.logs.open")}
          testId="data-open-logs"
        />
        <TaskButton
          task={task}
          name="diagnostics"
          onClick={() => void exportDiagnostics()}
          label={t("data.logs.diagnostics")}
          busyLabel={t("data.logs.exporting")}
          testId="data-diagnostics"
        />
      </div>
      <p className="field-hint">{t("data.logs.hint")}</p>
      <TaskOutcome
        task={task}
        status={saved ? t("data.logs.saved", { path: saved }) : null}
        statusTestId="data-diagnostics-done"
      />
    </section>
  );
}
