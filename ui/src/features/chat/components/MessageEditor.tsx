import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { CloseIcon } from "../../../components/ui/icons";
import { isAttachment } from "../../../ipc";
import type { AttachmentPart, Part } from "../../../ipc";
import { AttachmentChip, partName } from "../attachments/AttachmentChip";

export interface MessageEditorProps {
  initialText: string;
  /** The message's parts: its images and files are kept unless removed here. */
  initialAttachments?: Part[];
  /** Resolves true when the edit was accepted (the editor then closes). */
  onSave: (text: string, attachments: AttachmentPart[]) => Promise<boolean>;
  onCancel: () => void;
}

/** Edits a sent message in place. Enter saves and sends, Shift+Enter adds a line, Esc cancels. */
export function MessageEditor({
  initialText,
  initialAttachments = [],
  onSave,
  onCancel,
}: MessageEditorProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(initialText);
  const [attachments, setAttachments] = useState(() => initialAttachments.filter(isAttachment));
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const canSave = !saving && (text.trim() !== "" || attachments.length > 0);

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const save = async () => {
    if (!canSave) return;
    setSaving(true);
    // On success the editor is unmounted; only a refusal leaves it here to try again.
    if (!(await onSave(text, attachments))) setSaving(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an IME composes, Enter and Esc belong to it.
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Escape") {
      event.preventDefault();
      // Esc here closes the editor; it must not also stop a reply.
      event.stopPropagation();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <form
      className="message-editor"
      data-testid="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {attachments.length > 0 ? (
        <ul className="attachments" aria-label={t("attachments.listLabel")}>
          {attachments.map((part, index) => (
            <li key={`${part.sha256}-${index}`}>
              <AttachmentChip
                part={part}
                actions={
                  <IconButton
                    size="sm"
                    label={t("attachments.remove", { name: partName(t, part) })}
                    icon={<CloseIcon />}
                    disabled={saving}
                    onClick={() => setAttachments((list) => list.filter((_, i) => i !== index))}
                    data-testid="attachment-remove"
                  />
                }
              />
            </li>
          ))}
        </ul>
      ) : null}
      <TextArea
        ref={input}
        className="message-editor__input"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-label={t("chat.editLabel")}
        maxHeight={320}
        disabled={saving}
      />
      <div className="message-editor__bar">
        <span className="message-editor__hint">{t("chat.editHint")}</span>
        <Button variant="ghost" size="sm" onClick={onCancel} data-testid="edit-cancel">
          {t("chat.editCancel")}
        </Button>
        <Button
          type="submit"
          variant="primary"
          size="sm"
          disabled={!canSave}
          data-testid="edit-save"
        >
          {t("chat.editSave")}
        </Button>
      </div>
    </form>
  );
}
