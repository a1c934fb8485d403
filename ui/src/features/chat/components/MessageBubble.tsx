import { memo, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import {
  BranchIcon,
  CheckIcon,
  ContinueIcon,
  CopyIcon,
  EditIcon,
  RegenerateIcon,
} from "../../../components/ui/icons";
import { formatMessageTime, formatMoney, formatNumber } from "../../../i18n/format";
import type { Message } from "../../../ipc";
import { useCopied } from "../hooks/useCopied";
import { branchFrom } from "../store/branches";
import { useChatStore } from "../store/chatStore";
import { formatDuration } from "./duration";
import { Markdown } from "./Markdown";
import { ThinkingBlock } from "./ThinkingBlock";
import { VersionSwitcher } from "./VersionSwitcher";
import { MessageEditor } from "./MessageEditor";
import { MessageAttachments } from "../attachments/MessageAttachments";
import { RawExchangeButton } from "./RawExchangeButton";
import { usePreferences } from "../../settings/store/preferencesStore";
import { ReplySteps } from "../tools/ReplySteps";
import { hasToolSteps } from "../tools/segments";
import { ReplySources } from "../sources/ReplySources";

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

/** Time, model, tokens and latency: what is known about how a reply was produced. */
function MetaLine({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { meta } = message;
  const parts: string[] = [formatMessageTime(message.createdAt, lng)];
  if (message.role === "assistant") {
    if (meta.model) parts.push(meta.model);
    if (meta.completionTokens != null) {
      const completion = formatNumber(meta.completionTokens, lng);
      parts.push(
        meta.promptTokens != null
          ? t("chat.tokens", {
              total: formatNumber(meta.promptTokens + meta.completionTokens, lng),
              prompt: formatNumber(meta.promptTokens, lng),
              completion,
            })
          : t("chat.tokensOut", { completion }),
      );
    }
    if (meta.reasoningTokens != null)
      parts.push(t("chat.reasoningTokens", { count: formatNumber(meta.reasoningTokens, lng) }));
    if (meta.cost?.amount != null)
      parts.push(formatMoney(meta.cost.amount, meta.cost.currency, lng));
    if (meta.firstReasoningMs != null)
      parts.push(
        t("chat.firstThought", { duration: formatDuration(t, meta.firstReasoningMs, lng) }),
      );
    if (meta.firstTokenMs != null)
      parts.push(t("chat.firstToken", { duration: formatDuration(t, meta.firstTokenMs, lng) }));
    if (meta.totalMs != null)
      parts.push(t("chat.totalTime", { duration: formatDuration(t, meta.totalMs, lng) }));
  }
  return (
    <span className="message__meta-text" data-testid="message-info">
      {parts.join(" · ")}
    </span>
  );
}

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, copy] = useCopied();
  return (
    <IconButton
      size="sm"
      label={copied ? t("chat.copied") : t("chat.copy")}
      icon={copied ? <CheckIcon /> : <CopyIcon />}
      data-testid="copy-message"
      onClick={() => copy(text)}
    />
  );
}

/** Why a reply is not complete, in words the person can act on. */
function statusText(t: TFunction, message: Message): string {
  const { meta, state } = message;
  if (state === "complete") return "";
  if (meta.reason === "app_exit") return t("chat.stateAppExitHint");
  // Stopped by the size limit setting, not by the provider: said so, with where to change it.
  if (meta.reason === "too_long") return t("chat.stateTooLongHint");
  if (state === "cancelled") return t(STATE_HINT.cancelled);
  if (meta.errorCode) return t(`errors.${meta.errorCode}`);
  return t(STATE_HINT[state]);
}

export interface MessageBubbleProps {
  message: Message;
  /** The last message shown: its reply can be regenerated or retried. */
  isLast: boolean;
  /** A reply is streaming in this conversation: nothing may change it meanwhile. */
  busy: boolean;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  isLast,
  busy,
}: MessageBubbleProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const isUser = message.role === "user";
  // While debug capture is on, replies offer their raw exchange.
  const debugCapture = usePreferences((s) => s.value?.debugCapture ?? false);
  const incomplete = message.state !== "complete";
  const canRegenerate = !isUser && isLast && !busy;
  const regenerate = () => void useChatStore.getState().regenerate();
  // A reply that stopped early with some text can be carried on from where it stopped.
  const canContinue =
    canRegenerate &&
    (message.state === "partial" || message.state === "cancelled") &&
    message.content !== "";
  const continueReply = () => void useChatStore.getState().continueReply();
  // A reply with tool steps shows its parts in order; another its thinking, then its text.
  const withSteps = !isUser && hasToolSteps(message.parts);
  const reasoning = withSteps ? [] : message.parts.filter((part) => part.type === "reasoning");
  const title = useChatStore((s) => s.detail?.conversation.title) || t("conversations.untitled");

  return (
    <article
      className={`message message--${isUser ? "user" : "assistant"}${incomplete ? ` message--${message.state}` : ""}${editing ? " message--editing" : ""}`}
      data-testid="message"
      data-role={message.role}
      data-state={message.state}
      aria-label={isUser ? t("chat.roleUser") : t("chat.roleAssistant")}
    >
      {editing ? (
        <MessageEditor
          initialText={message.content}
          initialAttachments={message.parts}
          onCancel={() => setEditing(false)}
          onSave={async (text, attachments) => {
            const chat = useChatStore.getState();
            const accepted = await chat.editAndResend(message, text, attachments);
            if (accepted) setEditing(false);
            return accepted;
          }}
        />
      ) : (
        <ReplySources parts={message.parts}>
          <div className="message__body">
            {reasoning.map((part, index) => (
              <ThinkingBlock
                key={index}
                text={part.text}
                live={false}
                durationMs={part.durationMs ?? null}
              />
            ))}
            <MessageAttachments parts={message.parts} />
            {isUser ? (
              message.content !== "" ? (
                <p className="message__plain">{message.content}</p>
              ) : null
            ) : withSteps ? (
              <ReplySteps parts={message.parts} />
            ) : message.content.trim() !== "" ? (
              <Markdown text={message.content} />
            ) : null}
            {message.state !== "complete" ? (
              <div
                className={`message__status message__status--${message.state}`}
                data-testid="message-status"
              >
                <span className="pill">{t(STATE_LABEL[message.state])}</span>
                <span className="message__status-text">
                  {statusText(t, message)}
                  {message.meta.errorMessage ? (
                    <span className="message__status-detail">{message.meta.errorMessage}</span>
                  ) : null}
                </span>
                {canContinue ? (
                  <Button
                    size="sm"
                    className="message__retry"
                    icon={<ContinueIcon />}
                    onClick={continueReply}
                    data-testid="continue-message"
                  >
                    {t("chat.continueReply")}
                  </Button>
                ) : null}
                {canRegenerate ? (
                  <Button
                    size="sm"
                    className="message__retry"
                    icon={<RegenerateIcon />}
                    onClick={regenerate}
                    data-testid="retry-message"
                  >
                    {t("chat.retryReply")}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </div>
        </ReplySources>
      )}
      {editing ? null : (
        <div className="message__meta">
          <VersionSwitcher message={message} busy={busy} />
          <MetaLine message={message} />
          <span className="message__actions">
            {isUser ? (
              <IconButton
                size="sm"
                label={t("chat.edit")}
                icon={<EditIcon />}
                disabled={busy}
                onClick={() => setEditing(true)}
                data-testid="edit-message"
              />
            ) : null}
            {message.content !== "" ? <CopyButton text={message.content} /> : null}
            <IconButton
              size="sm"
              label={t("chat.branchFromHere")}
              icon={<BranchIcon />}
              disabled={busy}
              onClick={() => void branchFrom(message, t("chat.branchTitle", { title }))}
              data-testid="branch-from-here"
            />
            {!isUser && debugCapture ? <RawExchangeButton messageId={message.id} /> : null}
            {!isUser && isLast ? (
              <IconButton
                size="sm"
                label={t("chat.regenerate")}
                icon={<RegenerateIcon />}
                disabled={!canRegenerate}
                onClick={regenerate}
                data-testid="regenerate"
              />
            ) : null}
          </span>
        </div>
      )}
    </article>
  );
});
