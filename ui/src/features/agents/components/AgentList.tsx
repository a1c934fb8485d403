import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { EditIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import { useChatStore } from "../../chat/store/chatStore";
import { agentAvatar, agentName, useAgentsStore } from "../store/agentsStore";
import { useAgentEditor } from "../store/agentEditorStore";

/** The sidebar's agents: a click starts a conversation with one. */
export function AgentList() {
  const { t } = useTranslation();
  const { items, status, error, load } = useAgentsStore();
  const newConversation = useChatStore((s) => s.newConversation);
  const edit = useAgentEditor((s) => s.edit);

  useEffect(() => {
    if (useAgentsStore.getState().status === "idle") void useAgentsStore.getState().load();
  }, []);

  if (status === "error" && error) {
    // Without a core the conversation list below already says so and how to fix it.
    if (error.code === "unavailable") return null;
    return (
      <p className="agent-list__error" role="alert">
        {errorText(t, error)}{" "}
        <button type="button" className="link-btn" onClick={() => void load()}>
          {t("agents.reload")}
        </button>
      </p>
    );
  }

  return (
    <ul className="agent-list" aria-label={t("agents.heading")}>
      {items.map((agent) => {
        const name = agentName(agent);
        return (
          <li key={agent.id} className="agent-item" data-testid="agent-item" data-id={agent.id}>
            <button
              type="button"
              className="agent-item__main"
              onClick={() => void newConversation(agent.id)}
              title={t("agents.startWith", { name })}
            >
              <span className="agent-item__avatar" aria-hidden="true">
                {agentAvatar(agent)}
              </span>
              <span className="agent-item__name">{name}</span>
            </button>
            <IconButton
              className="agent-item__edit"
              label={t("agents.edit", { name })}
              icon={<EditIcon />}
              size="sm"
              onClick={() => edit(agent.id)}
              data-testid="agent-edit"
            />
          </li>
        );
      })}
    </ul>
  );
}
