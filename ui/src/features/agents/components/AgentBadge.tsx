import { useTranslation } from "react-i18next";
import type { Agent } from "../../../ipc";
import { useAgentEditor } from "../store/agentEditorStore";
import { agentAvatar, agentName, useAgentsStore } from "../store/agentsStore";

/**
 * The agent a conversation talks to, for the chat header: its avatar and name (as edited
 * last, when the agent list has a newer copy). Opens the agent in the editor.
 */
export function AgentBadge({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const fresh = useAgentsStore((s) => s.items.find((a) => a.id === agent.id)) ?? agent;
  const name = agentName(fresh);
  return (
    <button
      type="button"
      className="agent-badge"
      title={t("agents.edit", { name })}
      aria-label={t("agents.edit", { name })}
      onClick={() => useAgentEditor.getState().edit(fresh.id)}
      data-testid="chat-agent"
    >
      <span className="agent-badge__avatar" aria-hidden="true">
        {agentAvatar(fresh)}
      </span>
      <span className="agent-badge__name">{name}</span>
    </button>
  );
}
