import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import { toIpcError } from "../../../ipc";
import type { Conversation, IpcError } from "../../../ipc";
import { useChatStore } from "../../chat/store/chatStore";
import { useConversationsStore } from "../store/conversationsStore";

export interface DeleteConversationDialogProps {
  conversation: Conversation;
  title: string;
  onClose: () => void;
}

export function DeleteConversationDialog({
  conversation,
  title,
  onClose,
}: DeleteConversationDialogProps) {
  const { t } = useTranslation();
  const remove = useConversationsStore((s) => s.remove);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await remove(conversation.id);
      const chat = useChatStore.getState();
      if (chat.currentId === conversation.id) chat.close();
      onClose();
    } catch (e) {
      setError(toIpcError(e));
      setPending(false);
    }
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !pending && onClose()}
      title={t("conversations.deleteTitle")}
      description={t("conversations.deleteBody", { title })}
      role="alertdialog"
      size="sm"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={pending}>
            {t("conversations.cancel")}
          </Button>
          <Button
            variant="danger"
            onClick={() => void confirm()}
            disabled={pending}
            data-testid="confirm-delete"
          >
            {pending ? t("conversations.deleting") : t("conversations.deleteConfirm")}
          </Button>
        </>
      }
    >
      {error ? <Notice title={errorText(t, error)} /> : null}
    </Dialog>
  );
}
