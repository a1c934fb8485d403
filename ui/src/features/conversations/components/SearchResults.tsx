import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorText } from "../../../i18n/errorText";
import { formatListTime, isoTime } from "../../../i18n/format";
import type { SearchHit } from "../../../ipc";
import { displayTitle } from "../store/conversationsStore";
import { useSearchStore } from "../store/searchStore";

export interface SearchResultsProps {
  onOpen: (hit: SearchHit) => void;
}

/** The parts of a snippet, matches in <mark>; the text is rendered as text, never as HTML. */
function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <span className="search-hit__snippet">
      {hit.snippet.map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </span>
  );
}

export function SearchResults({ onOpen }: SearchResultsProps) {
  const { t, i18n } = useTranslation();
  const { query, hits, status, error, selected } = useSearchStore();
  const untitled = t("conversations.untitled");

  if (status === "error" && error) {
    return (
      <div className="conv-list__state">
        <Notice
          title={t("search.failed")}
          details={errorText(t, error)}
          actions={
            <Button size="sm" onClick={() => useSearchStore.getState().setQuery(query)}>
              {t("search.retry")}
            </Button>
          }
        />
      </div>
    );
  }
  if (status === "searching" && hits.length === 0) {
    return (
      <div className="conv-list__state">
        <Spinner label={t("search.searching")} />
      </div>
    );
  }
  if (status === "ready" && hits.length === 0) {
    return (
      <div className="conv-list__state conv-list__empty" role="status">
        <p className="conv-list__empty-title">{t("search.empty")}</p>
        <p className="conv-list__empty-hint">{t("search.emptyHint")}</p>
      </div>
    );
  }

  return (
    <ul
      className="search-results"
      id="search-results"
      aria-label={t("search.results", { count: hits.length })}
      data-testid="search-results"
    >
      {hits.map((hit, i) => (
        <li key={`${hit.conversationId}:${hit.messageId ?? "title"}`}>
          <button
            type="button"
            className={`search-hit${i === selected ? " search-hit--selected" : ""}`}
            aria-current={i === selected ? "true" : undefined}
            onClick={() => {
              useSearchStore.setState({ selected: i });
              onOpen(hit);
            }}
            data-testid="search-hit"
          >
            <span className="search-hit__head">
              <span className="search-hit__title">
                {hit.messageId === null ? (
                  <Snippet hit={hit} />
                ) : (
                  displayTitle({ title: hit.conversationTitle }, untitled)
                )}
              </span>
              {hit.archived ? <span className="pill">{t("search.archived")}</span> : null}
              <time className="conv-item__time" dateTime={isoTime(hit.createdAt)}>
                {formatListTime(hit.createdAt, i18n.language)}
              </time>
            </span>
            {hit.messageId === null ? (
              <span className="search-hit__kind">{t("search.titleMatch")}</span>
            ) : (
              <span className="search-hit__body">
                <span className="search-hit__role">
                  {hit.role === "user" ? t("chat.roleUser") : t("chat.roleAssistant")}
                </span>
                <Snippet hit={hit} />
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
