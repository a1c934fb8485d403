import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { Agent } from "../../../ipc";
import { useAttachedBases } from "../store/useAttachedBases";
import { useKnowledge } from "../store/knowledgeStore";
import { KnowledgeChoices } from "./KnowledgeChoices";

/**
 * The agent editor's "Knowledge": the knowledge bases its replies search first, a checkbox
 * each, saved as soon as one is ticked. A new agent gets them once it is saved.
 */
export function AgentKnowledgeSection({ agent }: { agent: Agent | null }) {
  const { t } = useTranslation();
  const bases = useKnowledge((s) => s.bases);
  const status = useKnowledge((s) => s.status);
  const { ids, error, toggle } = useAttachedBases(
    agent?.id ?? null,
    ipc.agentKnowledge,
    ipc.setAgentKnowledge,
  );
  useEffect(() => {
    void useKnowledge.getState().load();
  }, []);

  return (
    <section className="settings-section agent-knowledge" data-testid="agent-knowledge">
      <h3 className="settings-section__title">{t("agentKnowledge.heading")}</h3>
      <p className="field-hint">{t("agentKnowledge.hint")}</p>
      {agent === null ? (
        <p className="field-hint" data-testid="agent-knowledge-save-first">
          {t("agentKnowledge.saveFirst")}
        </p>
      ) : status === "ready" && bases.length === 0 ? (
        <div className="agent-tools__none">
          <span className="field-hint">{t("agentKnowledge.none")}</span>
          <Button
            size="sm"
            onClick={() => useKnowledge.getState().setOpen(true)}
            data-testid="agent-knowledge-setup"
          >
            {t("agentKnowledge.setUp")}
          </Button>
        </div>
      ) : ids ? (
        <KnowledgeChoices
          bases={bases}
          chosen={ids}
          onToggle={(id, on) => void toggle(id, on)}
          testId="agent-knowledge-use"
        />
      ) : null}
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
    </section>
  );
}
