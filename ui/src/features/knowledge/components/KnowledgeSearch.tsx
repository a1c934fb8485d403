import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ImageMark } from "../../../components/ui/ImageMark";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, KnowledgeBase, KnowledgeSearch as Found } from "../../../ipc";
import { fileReason } from "./fileReason";

/** Hits asked of the core per search on the page. */
export const SEARCH_LIMIT = 10;

/**
 * Search the base as a reply would: the hits with where they come from, and said plainly
 * when only the keyword search ran (no model, or the model failed) or nothing was found.
 */
export function KnowledgeSearch({ base }: { base: KnowledgeBase }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ query: string; result: Found } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [searching, setSearching] = useState(false);

  const run = async () => {
    const q = query.trim();
    if (q === "") return;
    setSearching(true);
    setError(null);
    try {
      setFound({ query: q, result: await ipc.searchKnowledge(base.id, q, SEARCH_LIMIT) });
    } catch (e) {
      setError(ipc.toIpcError(e));
    } finally {
      setSearching(false);
    }
  };
  const result = found?.result;

  return (
    <section className="settings-section kb-search" data-testid="kb-search">
      <h3 className="settings-section__title">{t("knowledge.searchHeading")}</h3>
      <form
        className="kb-search__form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextInput
          value={query}
          placeholder={t("knowledge.searchPlaceholder")}
          aria-label={t("knowledge.searchLabel", { name: base.name })}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="kb-search-input"
        />
        <Button type="submit" size="sm" disabled={searching || query.trim() === ""}>
          {searching ? t("knowledge.searching") : t("knowledge.search")}
        </Button>
      </form>
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      {result && !result.semantic ? (
        <p className="kb-search__note" data-testid="kb-search-keyword-only">
          {result.semanticError
            ? t("knowledge.semanticFailed", { reason: fileReason(t, result.semanticError) })
            : t("knowledge.keywordOnly")}
        </p>
      ) : null}
      {result && result.hits.length === 0 ? (
        <p className="kb-search__none" data-testid="kb-search-none">
          {t("knowledge.nothingFound", { query: found.query })}
        </p>
      ) : null}
      <ol className="kb-hits">
        {result?.hits.map((hit) => (
          <li key={hit.chunkId} className="kb-hit" data-testid="kb-hit">
            <div className="kb-hit__head">
              <span className="kb-hit__title">
                {hit.image ? (
                  <ImageMark
                    label={t("knowledge.imageFile")}
                    className="kb-file__image"
                    testId="kb-hit-image"
                  />
                ) : null}
                {hit.title}
              </span>
              <span className="kb-hit__where">
                {[hit.page !== null ? t("knowledge.page", { page: hit.page }) : null, hit.heading]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
              <span className="kb-hit__via">
                {hit.via.map((v) => t(`knowledge.via.${v}`, { defaultValue: v })).join(" + ")}
              </span>
            </div>
            {hit.image ? null : <p className="kb-hit__text">{hit.text}</p>}
            <p className="kb-hit__path mono">{hit.path}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
