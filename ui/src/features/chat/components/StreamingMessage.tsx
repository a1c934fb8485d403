import { useTranslation } from "react-i18next";
import { Markdown } from "./Markdown";

/** The reply being written: the text so far and a blinking cursor, or dots before the first word. */
export function StreamingMessage({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <article
      className="message message--assistant message--streaming"
      data-testid="streaming-message"
      aria-label={t("chat.streaming")}
      aria-busy="true"
    >
      <div className="message__body">
        {text === "" ? (
          <span className="typing" role="status" aria-label={t("chat.thinking")}>
            <span />
            <span />
            <span />
          </span>
        ) : (
          // The cursor is drawn by CSS after the last block, so it sits at the end of the text.
          <Markdown text={text} />
        )}
      </div>
    </article>
  );
}
