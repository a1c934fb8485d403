import { useContext } from "react";
import type { ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import type { ExtraProps } from "react-markdown";
import { CitationContext } from "./citations";

/**
 * The markdown renderer's `<sup>`: a citation `remarkCitations` marked becomes a link to
 * source n under the reply, when the reply has one; otherwise the text as it was written.
 * Any other `<sup>` (a footnote mark) is drawn as usual.
 */
export function CiteRef({ node: _, children, ...rest }: ComponentProps<"sup"> & ExtraProps) {
  const { t } = useTranslation();
  const { citations, show } = useContext(CitationContext);
  const cite = (rest as Record<string, unknown>)["data-cite"];
  if (cite === undefined) return <sup {...rest}>{children}</sup>;
  const n = Number(cite);
  const source = citations[n - 1];
  if (!source) return <>{children}</>;
  return (
    <button
      type="button"
      className="cite-ref"
      aria-label={t("chat.sources.cite", { n, title: source.title })}
      title={source.title}
      onClick={() => show(n)}
      data-testid="cite-ref"
    >
      {n}
    </button>
  );
}
