import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ConfirmDelete } from "../../../components/ui/ConfirmDelete";
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
        <ConfirmDelete
          confirming={confirmDelete}
          onConfirmingChange={setConfirmDelete}
          labels={{
            question: t("agents.deleteConfirmText"),
            delete: t("agents.delete"),
            cancel: t("conversations.cancel"),
          }}
          disabled={pending !== null}
          onConfirm={() => onDelete(agent)}
          testId="agent-delete"
        />
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
