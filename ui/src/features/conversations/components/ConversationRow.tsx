import { useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { ArchiveIcon, EditIcon, PinIcon, TrashIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import { formatListTime, isoTime } from "../../../i18n/format";
import { toIpcError } from "../../../ipc";
import type { Conversation, IpcError } from "../../../ipc";
import { useConversationsStore } from "../store/conversationsStore";

export interface ConversationRowProps {
  conversation: Conversation;
  title: string;
  active: boolean;
  streaming: boolean;
  onOpen: () => void;
  onDelete: () => void;
}

/** One conversation in the sidebar, with rename (inline), pin, archive and delete. */
export function ConversationRow({
  conversation,
  title,
  active,
  streaming,
  onOpen,
  onDelete,
}: ConversationRowProps) {
  const { t, i18n } = useTranslation();
  const { rename, setPinned, setArchived } = useConversationsStore.getState();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<IpcError | null>(null);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(toIpcError(e));
      return false;
    }
  };

  const startRename = () => {
    setDraft(conversation.title);
    setError(null);
    setEditing(true);
  };

  const save = async () => {
    if (draft.trim() === conversation.title.trim()) {
      setEditing(false);
      return;
    }
    if (await run(() => rename(conversation.id, draft.trim()))) setEditing(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Enter") {
      event.preventDefault();
      void save();
    } else if (event.key === "Escape") {
      // Kept from the window's Esc handler, which would stop a streaming reply.
      event.preventDefault();
      event.stopPropagation();
      setEditing(false);
      setError(null);
    }
  };

  return (
    <>
      {editing ? (
        <input
          className="conv-item__rename"
          value={draft}
          autoFocus
          aria-label={t("manage.renameLabel")}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setEditing(false);
            setError(null);
          }}
          data-testid="rename-input"
        />
      ) : (
        <button
          type="button"
          className="conv-item__main"
          aria-current={active ? "page" : undefined}
          onClick={onOpen}
        >
          {conversation.pinned ? (
            <span className="conv-item__pin" role="img" aria-label={t("manage.pinned")}>
              <PinIcon />
            </span>
          ) : null}
          <span className="conv-item__title">{title}</span>
          {streaming ? (
            <span className="conv-item__live" aria-hidden="true" />
          ) : (
            <time className="conv-item__time" dateTime={isoTime(conversation.updatedAt)}>
              {formatListTime(conversation.updatedAt, i18n.language)}
            </time>
          )}
        </button>
      )}
      {editing ? null : (
        <span className="conv-item__actions">
          <IconButton
            label={t("manage.rename", { title })}
            icon={<EditIcon />}
            size="sm"
            onClick={startRename}
            data-testid="conv-rename"
          />
          <IconButton
            label={conversation.pinned ? t("manage.unpin", { title }) : t("manage.pin", { title })}
            icon={<PinIcon />}
            size="sm"
            aria-pressed={conversation.pinned}
            onClick={() => void run(() => setPinned(conversation.id, !conversation.pinned))}
            data-testid="conv-pin"
          />
          <IconButton
            label={
              conversation.status === "archived"
                ? t("manage.unarchive", { title })
                : t("manage.archive", { title })
            }
            icon={<ArchiveIcon />}
            size="sm"
            onClick={() =>
              void run(() => setArchived(conversation.id, conversation.status !== "archived"))
            }
            data-testid="conv-archive"
          />
          <IconButton
            className="conv-item__delete"
            label={t("conversations.delete", { title })}
            icon={<TrashIcon />}
            size="sm"
            onClick={onDelete}
            data-testid="conv-delete"
          />
        </span>
      )}
      {error ? (
        <p className="conv-item__error" role="alert">
          {errorText(t, error)}
        </p>
      ) : null}
    </>
  );
}
