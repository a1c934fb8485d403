import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import type { Agent } from "../../../ipc";

/** Delete (after a confirmation), duplicate and save, under the agent editor. */
export function AgentActions({
  agent,
  pending,
  saved,
  onDelete,
  onDuplicate,
}: {
  agent: Agent | null;
  pending: "save" | "duplicate" | "delete" | null;
  saved: boolean;
  onDelete: (agent: Agent) => void;
  onDuplicate: (agent: Agent) => void;
}) {
  const { t } = useTranslation();
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <div className="agent-editor__actions">
      {agent && !agent.builtin ? (
        confirmDelete ? (
          <span className="agent-editor__confirm" role="group">
            <span>{t("agents.deleteConfirmText")}</span>
            <Button
              variant="danger"
              size="sm"
              disabled={pending !== null}
              onClick={() => onDelete(agent)}
              data-testid="agent-delete-confirm"
            >
              {t("agents.delete")}
            </Button>
            <Button size="sm" onClick={() => setConfirmDelete(false)}>
              {t("conversations.cancel")}
            </Button>
          </span>
        ) : (
          <Button
            variant="ghost"
            className="btn--danger-text"
            onClick={() => setConfirmDelete(true)}
            data-testid="agent-delete"
          >
            {t("agents.delete")}
          </Button>
        )
      ) : null}
      <span className="agent-editor__spacer" />
      {saved ? (
        <p className="field-success" role="status">
          {t("agents.saved")}
        </p>
      ) : null}
      {agent ? (
        <Button
          disabled={pending !== null}
          onClick={() => onDuplicate(agent)}
          data-testid="agent-duplicate"
        >
          {t("agents.duplicate")}
        </Button>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending !== null} data-testid="agent-save">
        {pending === "save" ? t("settings.saving") : t("settings.save")}
      </Button>
    </div>
  );
}
