import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../i18n/format";

/** Past this many characters or lines, a text shows its start and a "show all". */
const SHORT_CHARS = 1200;
const SHORT_LINES = 16;

/** The start of `text` that is shown folded; null when the whole text is short enough. */
export function foldedStart(text: string): string | null {
  let end = Math.min(text.length, SHORT_CHARS);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (text[i] === "\n" && ++lines === SHORT_LINES) {
      end = i;
      break;
    }
  }
  return end < text.length ? text.slice(0, end) : null;
}

/**
 * A tool's arguments or result: plain text in a `<pre>`, never markdown or HTML (what a
 * model or a tool wrote is untrusted), folded when long.
 */
export function ToolText({
  text,
  error = false,
  testId,
}: {
  text: string;
  error?: boolean;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  const start = foldedStart(text);
  return (
    <div className="tool-text">
      <pre
        className={`tool-text__pre${error ? " tool-text__pre--error" : ""}`}
        data-testid={testId}
      >
        {start === null || all ? text : `${start}…`}
      </pre>
      {start !== null ? (
        <button
          type="button"
          className="tool-text__more"
          onClick={() => setAll(!all)}
          data-testid="tool-text-more"
        >
          {all
            ? t("chat.tools.showLess")
            : t("chat.tools.showAll", { chars: formatNumber(text.length, i18n.language) })}
        </button>
      ) : null}
    </div>
  );
}
