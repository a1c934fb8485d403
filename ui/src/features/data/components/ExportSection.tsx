import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TaskButton, TaskOutcome } from "./TaskParts";
import * as ipc from "../../../ipc";
import type { ExportFormat, ExportSummary } from "../../../ipc";
import { useChatStore } from "../../chat/store/chatStore";
import { exportFileName } from "../fileNames";
import { useTask } from "../hooks/useTask";

type Scope = "all" | "current";

/** Every conversation, or the open one, as Markdown (to read) or JSON (to import again). */
export function ExportSection() {
  const { t } = useTranslation();
  const current = useChatStore((s) => s.detail?.conversation ?? null);
  const [scope, setScope] = useState<Scope>("all");
  const [done, setDone] = useState<ExportSummary | null>(null);
  const task = useTask();
  const chosen: Scope = scope === "current" && current ? "current" : "all";
  const currentTitle = current ? current.title || t("conversations.untitled") : null;

  const exportAs = async (format: ExportFormat) => {
    setDone(null);
    const extension = format === "markdown" ? "md" : "json";
    const summary = await task.run(format, async () => {
      const name = exportFileName(extension, chosen === "current" ? currentTitle : null);
      const path = await ipc.chooseSavePath(format === "markdown" ? "markdown" : "json", name);
      if (path === null) return null;
      const ids = chosen === "current" && current ? [current.id] : null;
      return ipc.exportConversations(ids, format, path);
    });
    if (summary) setDone(summary);
  };

  return (
    <section className="settings-section" aria-labelledby="data-export-title">
      <h3 className="settings-section__title" id="data-export-title">
        {t("data.export.heading")}
      </h3>
      <div className="data-scope" role="radiogroup" aria-label={t("data.export.scope")}>
        <label className="data-scope__option">
          <input
            type="radio"
            name="data-export-scope"
            checked={chosen === "all"}
            onChange={() => setScope("all")}
          />
          {t("data.export.all")}
        </label>
        <label className="data-scope__option">
          <input
            type="radio"
            name="data-export-scope"
            checked={chosen === "current"}
            disabled={!current}
            onChange={() => setScope("current")}
            data-testid="data-export-current"
          />
          <span className="data-scope__text">
            {current
              ? t("data.export.current", { title: currentTitle })
              : t("data.export.noCurrent")}
          </span>
        </label>
      </div>
      <div className="data-actions">
        <TaskButton
          task={task}
          name="markdown"
          onClick={() => void exportAs("markdown")}
          label={t("data.export.markdown")}
          busyLabel={t("data.export.working")}
          testId="data-export-md"
        />
        <TaskButton
          task={task}
          name="json"
          onClick={() => void exportAs("json")}
          label={t("data.export.json")}
          busyLabel={t("data.export.working")}
          testId="data-export-json"
        />
      </div>
      <p className="field-hint">{t("data.export.hint")}</p>
      <TaskOutcome
        task={task}
        status={
          done
            ? t("data.export.done", {
                count: done.conversations,
                messages: done.messages,
                path: done.path,
              })
            : null
        }
        statusTestId="data-export-done"
      />
    </section>
  );
}
