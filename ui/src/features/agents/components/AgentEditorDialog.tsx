import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { PlusIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import { problemLine } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider } from "../../../ipc";
import type { Problem } from "../../../ipc/problems";
import { useAgentEditor } from "../store/agentEditorStore";
import { agentAvatar, agentName, useAgentsStore } from "../store/agentsStore";
import { AgentEditor } from "./AgentEditor";

/** Saves `text` as a file through the browser's download (the webview's save dialog). */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

type ImportResult = { kind: "ok"; count: number } | { kind: "problems"; problems: Problem[] };

function AgentsContent() {
  const { t } = useTranslation();
  const target = useAgentEditor((s) => s.target);
  const edit = useAgentEditor((s) => s.edit);
  const { items, put, drop, load } = useAgentsStore();
  const [providers, setProviders] = useState<Provider[]>([]);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    ipc.listProviders().then(setProviders, (e: unknown) => setFailure(ipc.toIpcError(e)));
    if (useAgentsStore.getState().status !== "ready") void useAgentsStore.getState().load();
  }, []);

  const agent = target === "new" ? null : (items.find((a) => a.id === target) ?? null);

  const exportAgents = async (ids: string[], fileName: string) => {
    setFailure(null);
    try {
      download(fileName, await ipc.exportAgents(ids));
    } catch (e) {
      setFailure(ipc.toIpcError(e));
    }
  };

  const importFile = async (file: File) => {
    setFailure(null);
    setImported(null);
    try {
      const agents = await ipc.importAgents(await file.text());
      agents.forEach(put);
      setImported({ kind: "ok", count: agents.length });
      if (agents[0]) edit(agents[0].id);
    } catch (e) {
      const error = ipc.toIpcError(e);
      if (error.code === "invalid_input") {
        setImported({ kind: "problems", problems: [...error.problems] });
      } else setFailure(error);
    }
  };

  return (
    <div className="providers agents-page">
      <div className="providers__list">
        <ul aria-label={t("agents.heading")}>
          {items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="providers__item"
                aria-current={a.id === agent?.id ? "true" : undefined}
                onClick={() => edit(a.id)}
                data-testid="agent-editor-item"
              >
                <span className="providers__item-name">
                  <span className="agent-item__avatar" aria-hidden="true">
                    {agentAvatar(a)}
                  </span>{" "}
                  {agentName(a)}
                </span>
                <span className="providers__item-meta mono">{a.agentId}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="providers__add">
          <Button size="sm" icon={<PlusIcon />} onClick={() => edit("new")} data-testid="agent-new">
            {t("agents.new")}
          </Button>
          <Button size="sm" onClick={() => fileInput.current?.click()} data-testid="agent-import">
            {t("agents.import")}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            tabIndex={-1}
            aria-label={t("agents.importFile")}
            data-testid="agent-import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void importFile(file);
            }}
          />
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void exportAgents([], "confab-agents.json")}
            data-testid="agent-export-all"
          >
            {t("agents.exportAll")}
          </Button>
        </div>
      </div>
      <div className="providers__detail">
        {imported?.kind === "ok" ? (
          <p className="field-success" role="status">
            {t("agents.imported", { count: imported.count })}
          </p>
        ) : null}
        {imported?.kind === "problems" ? (
          <Notice
            title={t("agents.importFailed")}
            details={
              <span className="problem-lines" data-testid="import-problems">
                {imported.problems.map((problem, i) => (
                  <span key={i} data-testid="import-problem">
                    {problemLine(t, problem)}
                  </span>
                ))}
              </span>
            }
            dismissLabel={t("chat.dismiss")}
            onDismiss={() => setImported(null)}
          />
        ) : null}
        {failure ? (
          <Notice title={errorText(t, failure)} details={failure.message || undefined} />
        ) : null}
        {target !== "new" && agent === null ? (
          <p className="field-hint">{t("agents.pick")}</p>
        ) : (
          <>
            <div className="agents-page__head">
              <h3 className="providers__detail-title">
                {agent ? agentName(agent) : t("agents.new")}
                {agent?.builtin ? <span className="pill">{t("agents.builtin")}</span> : null}
              </h3>
              {agent ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() =>
                    void exportAgents([agent.id], `${agent.agentId}.confab-agents.json`)
                  }
                  data-testid="agent-export"
                >
                  {t("agents.export")}
                </Button>
              ) : null}
            </div>
            <AgentEditor
              key={agent?.id ?? "new"}
              agent={agent}
              providers={providers}
              onSaved={(saved) => {
                put(saved);
                edit(saved.id);
              }}
              onDuplicated={(copy) => {
                put(copy);
                edit(copy.id);
              }}
              onDeleted={() => {
                if (agent) drop(agent.id);
                edit(items.find((a) => a.id !== agent?.id)?.id ?? "new");
                void load();
              }}
            />
          </>
        )}
      </div>
    </div>
  );
}

export function AgentEditorDialog() {
  const { t } = useTranslation();
  const target = useAgentEditor((s) => s.target);
  const edit = useAgentEditor((s) => s.edit);
  return (
    <Dialog
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) edit(null);
      }}
      title={t("agents.editorTitle")}
      description={t("agents.editorDescription")}
      closeLabel={t("agents.close")}
      size="lg"
    >
      {target !== null ? <AgentsContent /> : null}
    </Dialog>
  );
}
