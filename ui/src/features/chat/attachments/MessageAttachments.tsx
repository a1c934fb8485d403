import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { AttachmentPart, AttachmentText, IpcError, Part } from "../../../ipc";
import { AttachmentChip, partFacts, partName, Thumbnail } from "./AttachmentChip";
import { useImageDataUrl } from "./imageCache";

/** How much of a file's text the preview shows. */
export const PREVIEW_CHARS = 20_000;

type ImagePart = Extract<AttachmentPart, { type: "image" }>;
type FilePart = Extract<AttachmentPart, { type: "file" }>;

/** An image as large as the window allows; Esc or the close button closes it. */
function ImageViewer({ part, onClose }: { part: ImagePart; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const url = useImageDataUrl(part.sha256);
  const name = partName(t, part);
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={name}
      description={partFacts(t, i18n.language, part)}
      closeLabel={t("attachments.close")}
      size="fit"
    >
      <div className="image-viewer" data-testid="image-viewer">
        {url === undefined ? (
          <Spinner label={t("attachments.previewLoading")} />
        ) : url === null ? (
          <Notice title={t("attachments.imageFailed")} />
        ) : (
          <img src={url} alt={name} />
        )}
      </div>
    </Dialog>
  );
}

/** The text read out of a file: what the model got of it. */
function FilePreview({ part, onClose }: { part: FilePart; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState<AttachmentText | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    let live = true;
    ipc.attachmentText(part.sha256, PREVIEW_CHARS).then(
      (loaded) => live && setText(loaded),
      (e: unknown) => live && setError(ipc.toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [part.sha256]);
  const n = (value: number) => formatNumber(value, i18n.language);
  let body;
  if (error) body = <Notice title={t("attachments.previewFailed")} details={errorText(t, error)} />;
  else if (!text) body = <Spinner label={t("attachments.previewLoading")} />;
  else if (text.text.trim() === "") body = <p className="muted">{t("attachments.previewEmpty")}</p>;
  else {
    body = (
      <>
        {text.truncated ? (
          <p className="file-preview__note" data-testid="file-preview-truncated">
            {t("attachments.previewTruncated", {
              shown: n([...text.text].length),
              total: n(text.chars),
            })}
          </p>
        ) : null}
        {part.truncated ? (
          <p className="file-preview__note">{t("attachments.previewCut")}</p>
        ) : null}
        <pre className="raw-exchange file-preview__text" data-testid="file-preview-text">
          {text.text}
        </pre>
      </>
    );
  }
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={partName(t, part)}
      description={partFacts(t, i18n.language, part)}
      closeLabel={t("attachments.close")}
      size="wide"
    >
      <div className="file-preview" data-testid="file-preview">
        {body}
      </div>
    </Dialog>
  );
}

/** A sent message's images (click: large view) and files (click: their text). */
export function MessageAttachments({ parts }: { parts: Part[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<AttachmentPart | null>(null);
  const attached = parts.filter(ipc.isAttachment);
  if (attached.length === 0) return null;
  const images = attached.filter((p): p is ImagePart => p.type === "image");
  const files = attached.filter((p): p is FilePart => p.type === "file");
  const close = () => setOpen(null);
  return (
    <div className="message__attachments" data-testid="message-attachments">
      {images.length > 0 ? (
        <ul className="message__images">
          {images.map((part, index) => (
            <li key={`${part.sha256}-${index}`}>
              <button
                type="button"
                className="message__image"
                onClick={() => setOpen(part)}
                aria-label={t("attachments.viewImage", { name: partName(t, part) })}
                data-testid="message-image"
              >
                <Thumbnail sha256={part.sha256} alt={partName(t, part)} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {files.length > 0 ? (
        <ul className="attachments">
          {files.map((part, index) => (
            <li key={`${part.sha256}-${index}`}>
              <AttachmentChip part={part} onOpen={() => setOpen(part)} />
            </li>
          ))}
        </ul>
      ) : null}
      {open?.type === "image" ? <ImageViewer part={open} onClose={close} /> : null}
      {open?.type === "file" ? <FilePreview part={open} onClose={close} /> : null}
    </div>
  );
}
