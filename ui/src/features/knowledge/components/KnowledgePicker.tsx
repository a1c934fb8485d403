import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { BookIcon } from "../../../components/ui/icons";
import * as ipc from "../../../ipc";
import type { Agent, Conversation } from "../../../ipc";
import { useAttachedBases } from "../store/useAttachedBases";
import { useKnowledge } from "../store/knowledgeStore";
import { KnowledgeChoices } from "./KnowledgeChoices";

const noAgentBases = () => Promise.resolve<string[]>([]);
const readOnly = () => Promise.resolve();

/**
 * "Knowledge" in the chat header: the knowledge bases this conversation searches besides
 * its agent's (shown ticked, fixed). Saved at once; Escape or a click outside closes it.
 * Nothing is asked of the core until it is first opened: opening a conversation stays as
 * cheap as it was (the replies say what they searched).
 */
export function KnowledgePicker({
  conversation,
  agent,
}: {
  conversation: Conversation;
  agent: Agent | null;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // Opened once: what is attached was read, and is kept while the conversation is shown.
  const [asked, setAsked] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const bases = useKnowledge((s) => s.bases);
  const own = useAttachedBases(
    asked ? conversation.id : null,
    ipc.conversationKnowledge,
    ipc.setConversationKnowledge,
  );
  const fromAgent = useAttachedBases(
    asked ? (agent?.id ?? "") : null,
    agent ? ipc.agentKnowledge : noAgentBases,
    readOnly,
  );
  useEffect(() => {
    if (!open) return;
    void useKnowledge.getState().load();
    root.current?.querySelector<HTMLElement>(".kb-picker__panel")?.focus();
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  const inherited = fromAgent.ids ?? [];
  const used = new Set([...inherited, ...(own.ids ?? [])]).size;

  return (
    <div
      className="kb-picker"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
          root.current?.querySelector<HTMLButtonElement>("button")?.focus();
        }
      }}
    >
      <Button
        size="sm"
        variant="ghost"
        className={`tools-toggle${used > 0 ? " tools-toggle--on" : ""}`}
        icon={<BookIcon />}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => {
          setAsked(true);
          setOpen((o) => !o);
        }}
        data-testid="knowledge-picker"
      >
        {used > 0 ? t("knowledge.pickerCount", { count: used }) : t("knowledge.picker")}
      </Button>
      {open ? (
        <div
          className="kb-picker__panel"
          role="dialog"
          tabIndex={-1}
          aria-label={t("knowledge.pickerTitle")}
          data-testid="knowledge-picker-panel"
        >
          <p className="kb-picker__title">{t("knowledge.pickerTitle")}</p>
          <p className="field-hint">{t("knowledge.pickerHint")}</p>
          {bases.length === 0 ? (
            <p className="field-hint">{t("knowledge.pickerNone")}</p>
          ) : own.ids ? (
            <KnowledgeChoices
              bases={bases}
              chosen={own.ids}
              fixed={inherited}
              onToggle={(id, on) => void own.toggle(id, on)}
              testId="knowledge-picker-use"
            />
          ) : null}
          {own.error ? (
            <p className="field-error" role="alert">
              {t("knowledge.pickerFailed")}
            </p>
          ) : null}
          <div className="kb-picker__footer">
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setOpen(false);
                useKnowledge.getState().setOpen(true);
              }}
            >
              {t("knowledge.pickerManage")}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
