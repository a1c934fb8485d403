import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { SendIcon, StopIcon } from "../../../components/ui/icons";

export interface ComposerProps {
  /** Resolves false when the message was not accepted; the draft is then put back. */
  onSend: (text: string) => Promise<boolean>;
  /** A reply is streaming in this conversation: Stop takes the place of Send. */
  busy: boolean;
  onStop: () => void;
  /** Stop was pressed and the core has not answered yet. */
  stopping?: boolean;
}

export function Composer({ onSend, busy, onStop, stopping = false }: ComposerProps) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const canSend = !busy && text.trim() !== "";

  // Back to the input once a reply ends, ready for the next message.
  useEffect(() => {
    if (!busy) input.current?.focus();
  }, [busy]);

  const submit = async () => {
    if (!canSend) return;
    const draft = text;
    setText("");
    const accepted = await onSend(draft);
    if (!accepted) setText((current) => (current === "" ? draft : current));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an IME composes (Chinese, Japanese), Enter picks a candidate; it must not send.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className={`composer__box${busy ? " composer__box--busy" : ""}`}>
        <TextArea
          ref={input}
          className="composer__input"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={busy ? t("chat.inputPlaceholderBusy") : t("chat.inputPlaceholder")}
          aria-label={t("chat.inputLabel")}
          rows={1}
          maxHeight={220}
          disabled={busy}
          data-testid="message-input"
        />
        {busy ? (
          <IconButton
            variant="primary"
            className="composer__send composer__stop"
            label={stopping ? t("chat.stopping") : t("chat.stop")}
            icon={<StopIcon />}
            onClick={onStop}
            disabled={stopping}
            data-testid="stop-button"
          />
        ) : (
          <IconButton
            type="submit"
            variant="primary"
            className="composer__send"
            label={t("chat.send")}
            icon={<SendIcon />}
            disabled={!canSend}
            data-testid="send-button"
          />
        )}
      </div>
      <p className="composer__hint">{busy ? t("chat.stopHint") : t("chat.sendHint")}</p>
    </form>
  );
}
