import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ImageMark } from "../../../components/ui/ImageMark";
import * as ipc from "../../../ipc";
import type { Part } from "../../../ipc";
import { CitationContext, sourcesOf, type CitationPart } from "./citations";

/** How long a source stays highlighted after its `[n]` was clicked. */
const HIGHLIGHT_MS = 2000;

function Source({
  n,
  source,
  highlighted,
  itemRef,
}: {
  n: number;
  source: CitationPart;
  highlighted: boolean;
  itemRef: (element: HTMLLIElement | null) => void;
}) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  // Whether the snippet is longer than its three collapsed lines (measured once drawn).
  const [overflows, setOverflows] = useState(false);
  const measure = useCallback((element: HTMLParagraphElement | null) => {
    if (element) setOverflows(element.scrollHeight > element.clientHeight + 1);
  }, []);
  const [failed, setFailed] = useState(false);
  const snippet = source.snippet ?? "";
  const open = () => {
    setFailed(false);
    ipc.openKnowledgeFile(source.source).catch(() => setFailed(true));
  };
  return (
    <li
      ref={itemRef}
      tabIndex={-1}
      className={`reply-source${highlighted ? " reply-source--highlight" : ""}`}
      data-testid="reply-source"
      data-highlighted={highlighted ? "true" : undefined}
    >
      <span className="reply-source__n" aria-hidden="true">
        {n}
      </span>
      <span className="reply-source__title" title={source.source}>
        {source.image ? (
          <ImageMark
            label={t("chat.sources.image")}
            className="reply-source__image"
            testId="reply-source-image"
          />
        ) : null}
        {source.title}
      </span>
      <Button
        size="sm"
        variant="ghost"
        className="reply-source__open"
        aria-label={t("chat.sources.openLabel", { title: source.title })}
        onClick={open}
        data-testid="reply-source-open"
      >
        {t("chat.sources.open")}
      </Button>
      {source.locator ? <span className="reply-source__locator">{source.locator}</span> : null}
      {snippet !== "" ? (
        <p
          ref={expanded ? undefined : measure}
          className={`reply-source__snippet${expanded ? "" : " reply-source__snippet--collapsed"}`}
          data-testid="reply-source-snippet"
        >
          {snippet}
        </p>
      ) : null}
      {overflows || expanded ? (
        <button
          type="button"
          className="reply-source__more"
          aria-expanded={expanded}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? t("chat.sources.less") : t("chat.sources.more")}
        </button>
      ) : null}
      {failed ? (
        <span className="field-error" role="alert">
          {t("chat.sources.openFailed")}
        </span>
      ) : null}
    </li>
  );
}

/**
 * A reply with what it found in knowledge bases: its body (whose `[n]` link here), then the
 * numbered sources, or the quiet line that a search found nothing. A reply that searched no
 * knowledge base is its body alone.
 */
export function ReplySources({ parts, children }: { parts: readonly Part[]; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { citations, retrievals } = useMemo(() => sourcesOf(parts), [parts]);
  const [highlight, setHighlight] = useState<number | null>(null);
  const items = useRef(new Map<number, HTMLLIElement>());
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const show = useCallback((n: number) => {
    const item = items.current.get(n);
    item?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    item?.focus({ preventScroll: true });
    setHighlight(n);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
  }, []);
  const links = useMemo(() => ({ citations, show }), [citations, show]);

  if (citations.length === 0 && retrievals.length === 0) return <>{children}</>;
  const list = new Intl.ListFormat(i18n.language, { type: "conjunction" });
  const nothing = retrievals.filter((r) => r.passages === 0);

  return (
    <CitationContext.Provider value={links}>
      {children}
      {citations.length > 0 ? (
        <section
          className="reply-sources"
          aria-label={t("chat.sources.heading")}
          data-testid="reply-sources"
        >
          <h4 className="reply-sources__heading">{t("chat.sources.heading")}</h4>
          <ol>
            {citations.map((source, i) => (
              <Source
                key={i}
                n={i + 1}
                source={source}
                highlighted={highlight === i + 1}
                itemRef={(element) => {
                  if (element) items.current.set(i + 1, element);
                  else items.current.delete(i + 1);
                }}
              />
            ))}
          </ol>
        </section>
      ) : null}
      {nothing.map((r, i) => (
        <p key={i} className="reply-sources__nothing" data-testid="reply-sources-nothing">
          {t("chat.sources.nothing", { names: list.format(r.bases) })}
        </p>
      ))}
    </CitationContext.Provider>
  );
}
