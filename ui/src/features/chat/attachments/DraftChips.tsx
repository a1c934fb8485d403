import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { CloseIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import { problemDetail, problemText } from "../../../i18n/problemText";
import type { IpcError } from "../../../ipc";
import { AttachmentChip, partName } from "./AttachmentChip";
import type { DraftAttachment, DraftAttachments } from "./useDraftAttachments";

/** Why a file was not attached, in the person's language. */
function refusal(t: TFunction, error: IpcError): { text: string; detail: string | null } {
  const problem = error.problems[0];
  if (problem) return { text: problemText(t, problem), detail: problemDetail(problem) };
  return { text: errorText(t, error), detail: null };
}

/** What of a file too long for the conversation goes, and the offer to send less. */
function FitNote({ item, draft }: { item: DraftAttachment; draft: DraftAttachments }) {
  const { t, i18n } = useTranslation();
  const part = item.part;
  const fit = item.fit?.value;
  if (part?.type !== "file" || !fit || fit.budget === null) return null;
  const n = (value: number) => formatNumber(value, i18n.language);
  if (part.pagesSent != null) {
    return (
      <span className="attachment__note">
        {t("attachments.firstPagesOnly", { count: part.pagesSent, n: n(part.pagesSent) })}{" "}
        <Button size="sm" variant="ghost" onClick={() => draft.setPagesSent(item.id, null)}>
          {t("attachments.sendWhole")}
        </Button>
      </span>
    );
  }
  if (fit.tokens <= fit.budget) return null;
  const pages = fit.pagesThatFit ?? 0;
  return (
    <span className="attachment__note">
      <span data-testid="attachment-too-long">
        {t("attachments.tooLong", { tokens: n(fit.tokens), budget: n(fit.budget) })}
      </span>{" "}
      {pages > 0 ? (
        <Button
          size="sm"
          onClick={() => draft.setPagesSent(item.id, pages)}
          data-testid="attachment-send-pages"
        >
          {t("attachments.sendFirstPages", { count: pages, n: n(pages) })}
        </Button>
      ) : null}
    </span>
  );
}

/** The chips of the message being written, and why a file could not be attached. */
export function DraftChips({ draft }: { draft: DraftAttachments }) {
  const { t } = useTranslation();
  const shown = draft.items.filter((item) => item.state !== "failed");
  const failed = draft.items.filter((item) => item.state === "failed");
  if (draft.items.length === 0) return null;
  return (
    <div className="composer__attachments">
      {shown.length > 0 ? (
        <ul className="attachments" aria-label={t("attachments.listLabel")}>
          {shown.map((item) => {
            const removeLabel = t("attachments.remove", {
              name: item.part ? partName(t, item.part) : item.name,
            });
            const remove = (
              <IconButton
                size="sm"
                label={removeLabel}
                icon={<CloseIcon />}
                onClick={() => draft.remove(item.id)}
                data-testid="attachment-remove"
              />
            );
            if (item.state === "reading" || !item.part) {
              return (
                <li key={item.id}>
                  <div className="attachment attachment--reading" data-testid="attachment-reading">
                    <span className="attachment__main">
                      <Spinner label={t("attachments.reading")} />
                      <span className="attachment__text">
                        <span className="attachment__name">{item.name}</span>
                        <span className="attachment__facts">{t("attachments.reading")}</span>
                      </span>
                    </span>
                    <span className="attachment__actions">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => draft.cancel(item.id)}
                        aria-label={t("attachments.cancelReading", { name: item.name })}
                        data-testid="attachment-cancel"
                      >
                        {t("attachments.cancel")}
                      </Button>
                    </span>
                  </div>
                </li>
              );
            }
            const note = <FitNote item={item} draft={draft} />;
            const over =
              item.fit?.value.budget != null &&
              item.part.type === "file" &&
              item.part.pagesSent == null &&
              item.fit.value.tokens > item.fit.value.budget;
            return (
              <li key={item.id}>
                <AttachmentChip
                  part={item.part}
                  note={note}
                  actions={remove}
                  tone={over ? "warning" : undefined}
                />
              </li>
            );
          })}
        </ul>
      ) : null}
      {failed.map((item) => {
        const { text, detail } = refusal(t, item.error!);
        return (
          <Notice
            key={item.id}
            className="composer__refused"
            data-testid="attachment-error"
            title={t("attachments.notAttached", { name: item.name, reason: text })}
            details={detail}
            dismissLabel={t("attachments.dismiss")}
            onDismiss={() => draft.remove(item.id)}
          />
        );
      })}
    </div>
  );
}
