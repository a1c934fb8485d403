import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { CheckIcon, CopyIcon } from "../../../components/ui/icons";
import { formatMessageTime, formatNumber } from "../../../i18n/format";
import type { Message } from "../../../ipc";
import { Markdown } from "./Markdown";

const STATE_LABEL = {
  partial: "chat.statePartial",
  error: "chat.stateError",
  cancelled: "chat.stateCancelled",
} as const;

const STATE_HINT = {
  partial: "chat.statePartialHint",
  error: "chat.stateErrorHint",
  cancelled: "chat.stateCancelledHint",
} as const;

function MetaLine({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const { meta } = message;
  const parts: string[] = [formatMessageTime(message.createdAt, i18n.language)];
  if (meta.model) parts.push(meta.model);
  const tokens = (meta.promptTokens ?? 0) + (meta.completionTokens ?? 0);
  if (meta.completionTokens != null) {
    parts.push(t("chat.tokens", { count: tokens, formatted: formatNumber(tokens, i18n.language) }));
  }
  if (meta.firstTokenMs != null) parts.push(t("chat.firstToken", { ms: meta.firstTokenMs }));
  if (meta.totalMs != null)
    parts.push(t("chat.totalTime", { seconds: (meta.totalMs / 1000).toFixed(1) }));
  return <span className="message__meta-text">{parts.join(" · ")}</span>;
}

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <IconButton
      size="sm"
      label={copied ? t("chat.copied") : t("chat.copy")}
      icon={copied ? <CheckIcon /> : <CopyIcon />}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          window.setTimeout(() => setCopied(false), 1500);
        });
      }}
    />
  );
}

export const MessageBubble = memo(function MessageBubble({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const isUser = message.role === "user";
  const incomplete = message.state !== "complete";

  return (
    <article
      className={`message message--${isUser ? "user" : "assistant"}${incomplete ? ` message--${message.state}` : ""}`}
      data-testid="message"
      data-role={message.role}
      data-state={message.state}
      aria-label={isUser ? t("chat.roleUser") : t("chat.roleAssistant")}
      title={isUser ? formatMessageTime(message.createdAt, i18n.language) : undefined}
    >
      <div className="message__body">
        {isUser ? (
          <p className="message__plain">{message.content}</p>
        ) : message.content.trim() !== "" ? (
          <Markdown text={message.content} />
        ) : null}
        {message.state !== "complete" ? (
          <div className={`message__status message__status--${message.state}`}>
            <span className="pill">{t(STATE_LABEL[message.state])}</span>
            <span className="message__status-text">
              {message.meta.errorCode
                ? t(`errors.${message.meta.errorCode}`)
                : t(STATE_HINT[message.state])}
              {message.meta.errorMessage ? (
                <span className="message__status-detail">{message.meta.errorMessage}</span>
              ) : null}
            </span>
          </div>
        ) : null}
      </div>
      {/* A person's own messages carry their time as a tooltip; replies get the full line. */}
      {isUser ? null : (
        <div className="message__meta">
          <MetaLine message={message} />
          {message.content !== "" ? <CopyButton text={message.content} /> : null}
        </div>
      )}
    </article>
  );
});
