import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, type Ref, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { EditIcon, EyeOffIcon, TrashIcon } from "../../../components/ui/icons";
import * as ipc from "../../../ipc";
import type { Message } from "../../../ipc";
import { useChatStore } from "../../chat/store/chatStore";
import { useContextStore } from "../store/contextStore";
import { ContextAttachments } from "./ContextAttachments";

const ROLE_LABEL = {
  user: "chat.roleUser",
  assistant: "chat.roleAssistant",
  system: "context.roleSystem",
  tool: "context.roleTool",
} as const satisfies Record<Message["role"], string>;

/**
 * System and tool messages (from an imported file) go to the model but the transcript does
 * not draw them: this list is where they can be seen, excluded or deleted.
 */
function hiddenInChat(message: Message): boolean {
  return message.role === "system" || message.role === "tool";
}

/** A first guess at a row's height, before it is measured. */
const ESTIMATED_ROW = 96;

interface RowProps {
  message: Message;
  onDelete: () => void;
  index: number;
  rowRef: Ref<HTMLLIElement>;
  style: CSSProperties;
}

function MessageRow({ message, onDelete, index, rowRef, style }: RowProps) {
  const { t } = useTranslation();
  const { setInContext, editMessage } = useContextStore.getState();
  const [editing, setEditing] = useState<string | null>(null);
  const excluded = !message.inContext;

  return (
    <li
      ref={rowRef}
      style={style}
      data-index={index}
      className={`context-message${excluded ? " context-message--excluded" : ""}`}
      data-testid="context-message"
      data-id={message.id}
    >
      <div className="context-message__bar">
        <span className="context-message__role">{t(ROLE_LABEL[message.role])}</span>
        {hiddenInChat(message) ? (
          <span className="pill" data-testid="context-hidden-in-chat">
            {t("context.hiddenInChat")}
          </span>
        ) : null}
        {excluded ? <span className="pill">{t("context.excluded")}</span> : null}
        <span className="context-message__tools">
          <IconButton
            size="sm"
            label={excluded ? t("context.include") : t("context.exclude")}
            icon={<EyeOffIcon />}
            aria-pressed={excluded}
            onClick={() => void setInContext(message, excluded)}
            data-testid="context-exclude"
          />
          <IconButton
            size="sm"
            label={t("context.edit")}
            icon={<EditIcon />}
            onClick={() => setEditing(message.content)}
            data-testid="context-edit"
          />
          <IconButton
            size="sm"
            label={t("context.delete")}
            icon={<TrashIcon />}
            onClick={onDelete}
            data-testid="context-delete"
          />
        </span>
      </div>
      {editing === null ? (
        <>
          <p className="context-message__text">{message.content}</p>
          <ContextAttachments message={message} />
        </>
      ) : (
        <div className="context-message__edit">
          <TextArea
            value={editing}
            aria-label={t("context.editLabel")}
            maxHeight={200}
            onChange={(e) => setEditing(e.target.value)}
            data-autofocus=""
          />
          <div className="context-message__edit-actions">
            <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
              {t("context.editCancel")}
            </Button>
            <Button
              size="sm"
              variant="primary"
              disabled={editing.trim() === ""}
              onClick={() =>
                void editMessage(message, editing).then((ok) => ok && setEditing(null))
              }
              data-testid="context-edit-save"
            >
              {t("context.editSave")}
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}

/** The loaded messages of the open conversation, each to exclude, edit or delete. */
export function ContextMessages() {
  const { t } = useTranslation();
  const messages = useChatStore((s) => s.detail?.messages);
  const [toDelete, setToDelete] = useState<Message | null>(null);
  // How many messages go with it (itself, what follows, every version below it).
  const [deleteCount, setDeleteCount] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    setDeleteCount(null);
    if (!toDelete) return;
    let current = true;
    ipc.countMessageSubtree(toDelete.id).then(
      (count) => current && setDeleteCount(count),
      // Unknown: the dialog says what it always said.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [toDelete]);
  // Every message, whatever its role: what goes to the model is never hidden here.
  const shown = messages ?? [];
  // Virtualized inside the drawer's scrolling body: a conversation scrolled back to its
  // start can have thousands of messages loaded.
  const list = useRef<HTMLUListElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [listTop, setListTop] = useState(0);
  useLayoutEffect(() => {
    const body = list.current?.closest<HTMLElement>("[data-scroller]") ?? null;
    setScroller(body);
    if (body && list.current) {
      setListTop(
        list.current.getBoundingClientRect().top -
          body.getBoundingClientRect().top +
          body.scrollTop,
      );
    }
  }, [shown.length]);
  // The virtualizer is read afresh on every render and never passed to memoized children.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATED_ROW,
    getItemKey: (index) => shown[index]?.id ?? index,
    scrollMargin: listTop,
    gap: 8,
    overscan: 6,
  });

  const confirmDelete = async (message: Message) => {
    setDeleting(true);
    await useContextStore.getState().deleteMessage(message);
    setDeleting(false);
    setToDelete(null);
  };

  return (
    <section className="context-messages" aria-labelledby="context-messages-heading">
      <h3 className="context-field__label" id="context-messages-heading">
        {t("context.messages")}
      </h3>
      <p className="context-field__hint">{t("context.messagesHint")}</p>
      {shown.some((m) => m.parts.some(ipc.isAttachment)) ? (
        <p className="context-field__hint">{t("attachments.contextHint")}</p>
      ) : null}
      {shown.length === 0 ? (
        <p className="context-field__hint">{t("context.messagesEmpty")}</p>
      ) : (
        <ul
          ref={list}
          className="context-messages__list"
          style={{ height: virtualizer.getTotalSize(), position: "relative" }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const message = shown[item.index];
            if (!message) return null;
            return (
              <MessageRow
                key={message.id}
                message={message}
                index={item.index}
                rowRef={virtualizer.measureElement}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  width: "100%",
                  transform: `translateY(${item.start - listTop}px)`,
                }}
                onDelete={() => setToDelete(message)}
              />
            );
          })}
        </ul>
      )}
      {toDelete ? (
        <Dialog
          open
          onOpenChange={(open) => !open && !deleting && setToDelete(null)}
          title={t("context.deleteTitle")}
          description={
            deleteCount === null
              ? t("context.deleteBody")
              : t("context.deleteBodyBranch", { count: deleteCount })
          }
          role="alertdialog"
          size="sm"
          footer={
            <>
              <Button variant="ghost" onClick={() => setToDelete(null)} disabled={deleting}>
                {t("context.cancel")}
              </Button>
              <Button
                variant="danger"
                disabled={deleting}
                onClick={() => void confirmDelete(toDelete)}
                data-testid="context-delete-confirm"
              >
                {t("context.deleteConfirm")}
              </Button>
            </>
          }
        >
          {null}
        </Dialog>
      ) : null}
    </section>
  );
}
