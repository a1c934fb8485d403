import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ToolIcon } from "../../../components/ui/icons";
import type { Agent, Conversation } from "../../../ipc";
import { setConversationTools } from "../store/conversationTools";

/**
 * "Tools" in the chat header: offers the agent's tools in this conversation or not. Shown
 * only when the conversation's agent has tool servers.
 */
export function ToolsToggle({
  conversation,
  agent,
}: {
  conversation: Conversation;
  agent: Agent | null;
}) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  if (!agent?.tools.servers?.length) return null;
  const on = conversation.toolsEnabled;
  const toggle = async () => {
    setSaving(true);
    await setConversationTools(conversation.id, !on);
    setSaving(false);
  };
  return (
    <Button
      size="sm"
      variant="ghost"
      className={`tools-toggle${on ? " tools-toggle--on" : ""}`}
      icon={<ToolIcon />}
      aria-pressed={on}
      title={on ? t("chat.tools.toggleOnHint") : t("chat.tools.toggleOffHint")}
      disabled={saving}
      onClick={() => void toggle()}
      data-testid="tools-toggle"
    >
      {t("chat.tools.toggle")}
    </Button>
  );
}
