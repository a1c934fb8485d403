import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { EyeOffIcon } from "../../../components/ui/icons";
import { isAttachment } from "../../../ipc";
import type { Message } from "../../../ipc";
import { partFacts, partName } from "../../chat/attachments/AttachmentChip";
import { useContextStore } from "../store/contextStore";

/** A message's images and files, each to leave out of the conversation's requests. */
export function ContextAttachments({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const excluded = useContextStore((s) => s.draft.excludedAttachments);
  const parts = message.parts.filter(isAttachment);
  if (parts.length === 0) return null;
  const { setAttachmentExcluded } = useContextStore.getState();
  return (
    <ul className="context-attachments" aria-label={t("attachments.listLabel")}>
      {parts.map((part, index) => {
        const name = partName(t, part);
        const out = excluded?.includes(part.sha256) ?? false;
        return (
          <li
            key={`${part.sha256}-${index}`}
            className={`context-attachment${out ? " context-attachment--excluded" : ""}`}
            data-testid="context-attachment"
          >
            <span className="context-attachment__name">{name}</span>
            <span className="context-attachment__facts">{partFacts(t, i18n.language, part)}</span>
            {out ? <span className="pill">{t("attachments.excluded")}</span> : null}
            <IconButton
              size="sm"
              label={out ? t("attachments.include", { name }) : t("attachments.exclude", { name })}
              icon={<EyeOffIcon />}
              aria-pressed={out}
              onClick={() => setAttachmentExcluded(part.sha256, !out)}
              data-testid="context-attachment-exclude"
            />
          </li>
        );
      })}
    </ul>
  );
}
