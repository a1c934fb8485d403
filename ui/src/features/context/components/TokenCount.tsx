import { useTranslation } from "react-i18next";
import { useContextStore } from "../store/contextStore";

/** "1,234 / 32,000 tokens": what the next request would send against the agent's budget. */
export function TokenCount() {
  const { t, i18n } = useTranslation();
  const preview = useContextStore((s) => s.preview);
  const previewError = useContextStore((s) => s.previewError);
  if (!preview) return null;
  const number = new Intl.NumberFormat(i18n.language);
  const tokens = number.format(preview.tokens);
  const over = preview.budget !== null && preview.tokens > preview.budget;
  return (
    <div className="context-tokens" aria-label={t("context.tokensLabel")}>
      <p
        className={`context-tokens__count${over ? " context-tokens__count--over" : ""}`}
        role="status"
        data-testid="context-tokens"
      >
        {preview.budget === null
          ? t("context.tokensNoBudget", { tokens })
          : t("context.tokens", { tokens, budget: number.format(preview.budget) })}
      </p>
      {preview.budget !== null ? (
        <meter
          className="context-tokens__meter"
          min={0}
          max={preview.budget}
          value={Math.min(preview.tokens, preview.budget)}
          aria-hidden="true"
        />
      ) : null}
      {over ? <p className="context-tokens__note">{t("context.overBudget")}</p> : null}
      {preview.knowledge ? (
        <p className="context-tokens__note" data-testid="context-knowledge">
          {t("context.knowledge", {
            bases: preview.knowledge.bases.join(", "),
            passages: preview.knowledge.passages,
            tokens: number.format(preview.knowledge.tokens),
          })}
        </p>
      ) : null}
      {previewError ? (
        <p className="context-tokens__note" role="alert">
          {t("context.previewFailed")}
        </p>
      ) : null}
    </div>
  );
}
