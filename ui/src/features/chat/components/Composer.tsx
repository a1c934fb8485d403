import { useEffect, useRef, useState } from "react";
import type { ClipboardEvent, KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { PaperclipIcon, SendIcon, StopIcon } from "../../../components/ui/icons";
import type { AttachmentPart } from "../../../ipc";
import { usePreferences, DEFAULT_PREFERENCES } from "../../settings/store/preferencesStore";
import { DraftChips } from "../attachments/DraftChips";
import { useVisionCheck } from "../attachments/modelVision";
import { useDraftAttachments } from "../attachments/useDraftAttachments";
import { useFileDrop } from "../attachments/useFileDrop";
import { VisionWarning } from "../attachments/VisionWarning";
import { PROMPT_MENU_ID, PromptMenu, promptOptionId } from "../composer/PromptMenu";
import { PromptForm } from "../composer/PromptForm";
import { ResourcePicker } from "../composer/ResourcePicker";
import { useMcpCatalog } from "../composer/useMcpCatalog";
import { usePromptCommand } from "../composer/usePromptCommand";

const MIB = 1024 * 1024;

export interface ComposerProps {
  /** Resolves false when the message was not accepted; the draft is then put back. */
  onSend: (text: string, attachments: AttachmentPart[]) => Promise<boolean>;
  /** A reply is streaming in this conversation: Stop takes the place of Send. */
  busy: boolean;
  onStop: () => void;
  /** Stop was pressed and the core has not answered yet. */
  stopping?: boolean;
  /** The conversation the message goes to (null: a new one): files are checked against it. */
  conversationId?: string | null;
  /**
   * The conversation's agent has MCP servers and its Tools switch is on: its prompts are
   * `/` commands and its resources can be attached.
   */
  mcp?: boolean;
}

export function Composer({
  onSend,
  busy,
  onStop,
  stopping = false,
  conversationId = null,
  mcp = false,
}: ComposerProps) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const maxMib = usePreferences((s) => s.value?.maxAttachmentMib);
  const draft = useDraftAttachments(
    conversationId,
    (maxMib ?? DEFAULT_PREFERENCES.maxAttachmentMib) * MIB,
  );
  const hasImages = draft.parts.some((part) => part.type === "image");
  const vision = useVisionCheck(hasImages);
  const blind = hasImages && vision.capabilities?.vision === false;
  const dragging = useFileDrop(draft.addPaths);
  const catalog = useMcpCatalog(conversationId, mcp);
  const command = usePromptCommand(text, setText, catalog, input);
  const canSend =
    !busy && !draft.reading && !blind && (text.trim() !== "" || draft.parts.length > 0);

  // Back to the input once a reply ends, ready for the next message.
  useEffect(() => {
    if (!busy) input.current?.focus();
  }, [busy]);

  const submit = async () => {
    if (!canSend) return;
    const saved = { text, items: draft.items.filter((item) => item.state === "ready") };
    const parts = draft.parts;
    setText("");
    draft.clear();
    command.reset();
    const accepted = await onSend(saved.text, parts);
    if (!accepted) {
      setText((current) => (current === "" ? saved.text : current));
      draft.restore(saved.items);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (command.onKeyDown(event)) return;
    // While an IME composes (Chinese, Japanese), Enter picks a candidate; it must not send.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  };

  // Pasted files and images are attached; pasted text stays text.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0 || event.clipboardData.getData("text/plain") !== "") return;
    event.preventDefault();
    draft.addFiles(files);
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <VisionWarning check={vision} />
      <div
        className={`composer__box${busy ? " composer__box--busy" : ""}${dragging ? " composer__box--drop" : ""}`}
        data-testid="composer-box"
      >
        {command.menu ? <PromptMenu {...command.menu} /> : null}
        <DraftChips draft={draft} />
        {command.form ? <PromptForm key={command.form.prompt.name} {...command.form} /> : null}
        <div className="composer__row">
          <IconButton
            className="composer__attach"
            label={t("attachments.add")}
            icon={<PaperclipIcon />}
            onClick={() => void draft.choose()}
            data-testid="attach-button"
          />
          <ResourcePicker
            resources={catalog.resources}
            onPick={(resource) => {
              draft.addResource(resource);
              input.current?.focus();
            }}
          />
          <TextArea
            ref={input}
            className="composer__input"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              command.onTextChange(event.target.value);
            }}
            onKeyDown={onKeyDown}
            onBlur={command.onBlur}
            onPaste={onPaste}
            placeholder={
              dragging
                ? t("attachments.dropHere")
                : busy
                  ? t("chat.inputPlaceholderBusy")
                  : t("chat.inputPlaceholder")
            }
            aria-label={t("chat.inputLabel")}
            aria-controls={command.menu ? PROMPT_MENU_ID : undefined}
            aria-activedescendant={
              command.menu && command.menu.matches.length > 0
                ? promptOptionId(command.menu.active)
                : undefined
            }
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
      </div>
      <p className="composer__hint">
        {busy
          ? t("chat.stopHint")
          : catalog.available
            ? t("chat.sendHintPrompts")
            : t("chat.sendHint")}
      </p>
    </form>
  );
}
