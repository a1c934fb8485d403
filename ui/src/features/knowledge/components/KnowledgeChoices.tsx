import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../i18n/format";
import type { KnowledgeBase } from "../../../ipc";

/**
 * Knowledge bases with a checkbox each; `fixed` ones are shown ticked and cannot be changed
 * here (they come from elsewhere: the agent, for a conversation). Ids chosen that name no
 * base (deleted since) are listed so they can be taken off.
 */
export function KnowledgeChoices({
  bases,
  chosen,
  fixed = [],
  onToggle,
  testId,
}: {
  bases: KnowledgeBase[];
  chosen: string[];
  fixed?: string[];
  onToggle: (kbId: string, on: boolean) => void;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const missing = chosen.filter((id) => !bases.some((b) => b.id === id));
  return (
    <ul className="kb-choices">
      {bases.map((base) => {
        const inherited = fixed.includes(base.id);
        return (
          <li key={base.id} className="kb-choice">
            <input
              type="checkbox"
              id={`${testId}-${base.id}`}
              checked={inherited || chosen.includes(base.id)}
              disabled={inherited}
              onChange={(e) => onToggle(base.id, e.target.checked)}
              data-testid={testId}
            />
            <label htmlFor={`${testId}-${base.id}`}>{base.name}</label>
            <span className="kb-choice__meta">
              {inherited
                ? t("knowledge.pickerFromAgent")
                : t("knowledge.fileCount", {
                    count: base.counts.files,
                    n: formatNumber(base.counts.files, i18n.language),
                  })}
            </span>
          </li>
        );
      })}
      {missing.map((id) => (
        <li key={id} className="kb-choice">
          <input
            type="checkbox"
            id={`${testId}-${id}`}
            checked
            onChange={() => onToggle(id, false)}
          />
          <label htmlFor={`${testId}-${id}`} className="agent-tools__name--missing">
            {t("agentKnowledge.missing")}
          </label>
        </li>
      ))}
    </ul>
  );
}
