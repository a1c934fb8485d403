import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { FileIcon } from "../../../components/ui/icons";
import { formatBytes, formatNumber } from "../../../i18n/format";
import type { AttachmentPart } from "../../../ipc";
import { useImageDataUrl } from "./imageCache";

/** The name shown for a part (an image pasted without one has none). */
export function partName(t: TFunction, part: AttachmentPart): string {
  return part.name?.trim() || t("attachments.unnamedImage");
}

/** Size, tokens and pages (or characters) of a file; the dimensions of an image. */
export function partFacts(t: TFunction, language: string, part: AttachmentPart): string {
  const n = (value: number) => formatNumber(value, language);
  if (part.type === "image") {
    return part.width && part.height
      ? t("attachments.pixels", { width: n(part.width), height: n(part.height) })
      : t("attachments.image");
  }
  const facts: string[] = [];
  if (part.bytes != null) facts.push(formatBytes(part.bytes, language));
  if (part.tokens != null)
    facts.push(t("attachments.tokens", { count: part.tokens, n: n(part.tokens) }));
  if (part.pages != null)
    facts.push(t("attachments.pages", { count: part.pages, n: n(part.pages) }));
  else if (part.chars != null)
    facts.push(t("attachments.chars", { count: part.chars, n: n(part.chars) }));
  return facts.join(" · ");
}

/** A stored image, small; a placeholder while it loads or when it cannot be shown. */
export function Thumbnail({ sha256, alt }: { sha256: string; alt: string }) {
  const url = useImageDataUrl(sha256);
  return url ? (
    <img className="attachment__thumb" src={url} alt={alt} draggable={false} />
  ) : (
    <span className="attachment__thumb attachment__thumb--empty" aria-hidden="true" />
  );
}

export interface AttachmentChipProps {
  part: AttachmentPart;
  /** Opens the large view or the text preview; the chip is then a button. */
  onOpen?: () => void;
  /** A line under the chip (`attachment__note`), e.g. what of a long file is sent. */
  note?: ReactNode;
  /** Buttons at the chip's end (remove, send fewer pages). */
  actions?: ReactNode;
  tone?: "warning";
}

/**
 * An attached image or file: thumbnail or icon, name and facts. Names come from outside
 * and are shown as text only.
 */
export function AttachmentChip({ part, onOpen, note, actions, tone }: AttachmentChipProps) {
  const { t, i18n } = useTranslation();
  const name = partName(t, part);
  const body = (
    <>
      {part.type === "image" ? (
        <Thumbnail sha256={part.sha256} alt={name} />
      ) : (
        <span className="attachment__icon" aria-hidden="true">
          <FileIcon />
        </span>
      )}
      <span className="attachment__text">
        <span className="attachment__name" title={name}>
          {name}
        </span>
        <span className="attachment__facts">{partFacts(t, i18n.language, part)}</span>
      </span>
    </>
  );
  return (
    <div
      className={`attachment${tone ? ` attachment--${tone}` : ""}`}
      data-testid="attachment"
      data-type={part.type}
    >
      {onOpen ? (
        <button
          type="button"
          className="attachment__main"
          onClick={onOpen}
          aria-label={
            part.type === "image"
              ? t("attachments.viewImage", { name })
              : t("attachments.previewFile", { name })
          }
        >
          {body}
        </button>
      ) : (
        <span className="attachment__main">{body}</span>
      )}
      {actions ? <span className="attachment__actions">{actions}</span> : null}
      {note}
    </div>
  );
}
