import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { ImageMark } from "../../../components/ui/ImageMark";
import { errorText } from "../../../i18n/errorText";
import { formatBytes, formatNumber } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { FileStatus, IpcError, KnowledgeBase, KnowledgeFile } from "../../../ipc";
import { fileReason, splitPath } from "./fileReason";

/** Files read per page of the list. */
export const FILES_PAGE = 50;

const FILTERS: { status: FileStatus | null; count: keyof KnowledgeBase["counts"] }[] = [
  { status: null, count: "files" },
  { status: "indexed", count: "indexed" },
  { status: "pending", count: "pending" },
  { status: "no_text", count: "noText" },
  { status: "failed", count: "failed" },
];

/**
 * A base's files with their status and, for one with no text or that failed, why. Read
 * again whenever `version` changes (indexing got further).
 */
export function KnowledgeFiles({ base, version }: { base: KnowledgeBase; version: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [status, setStatus] = useState<FileStatus | null>(null);
  const [limit, setLimit] = useState(FILES_PAGE);
  const [page, setPage] = useState<{ files: KnowledgeFile[]; total: number } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listKnowledgeFiles(base.id, status, 0, limit).then(
      (next) => {
        if (!live) return;
        setPage(next);
        setError(null);
      },
      (e: unknown) => live && setError(ipc.toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [base.id, status, limit, version]);

  return (
    <section className="settings-section kb-files" data-testid="kb-files">
      <h3 className="settings-section__title">{t("knowledge.filesHeading")}</h3>
      <div className="kb-filters" role="radiogroup" aria-label={t("knowledge.filesHeading")}>
        {FILTERS.map((filter) => (
          <button
            key={filter.count}
            type="button"
            role="radio"
            aria-checked={status === filter.status}
            className="kb-filter"
            onClick={() => {
              setStatus(filter.status);
              setLimit(FILES_PAGE);
            }}
            data-testid={`kb-filter-${filter.status ?? "all"}`}
          >
            {t(`knowledge.filter.${filter.status ?? "all"}`)}
            <span className="kb-filter__count">{formatNumber(base.counts[filter.count], lng)}</span>
          </button>
        ))}
      </div>
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      {page && page.files.length === 0 ? (
        <p className="field-hint" data-testid="kb-files-none">
          {status === null ? t("knowledge.filesNone") : t("knowledge.filesNoneHere")}
        </p>
      ) : null}
      <ul className="kb-file-list">
        {page?.files.map((file) => {
          const { name, folder } = splitPath(file.path);
          return (
            <li
              key={file.id}
              className="kb-file"
              data-testid="kb-file"
              data-status={file.status}
              data-image={file.image ? "true" : undefined}
              title={file.path}
            >
              <span className="kb-file__name">
                {file.image ? (
                  <ImageMark
                    label={t("knowledge.imageFile")}
                    className="kb-file__image"
                    testId="kb-file-image"
                  />
                ) : null}
                {name}
              </span>
              <span className="kb-file__folder mono">{folder}</span>
              <span className="kb-file__size">{formatBytes(file.size, lng)}</span>
              <span className={`kb-status kb-status--${file.status}`}>
                {t(`knowledge.status.${file.status}`)}
              </span>
              {file.error ? (
                <span className="kb-file__reason" data-testid="kb-file-reason">
                  {fileReason(t, file.error)}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {page && page.total > page.files.length ? (
        <Button size="sm" variant="ghost" onClick={() => setLimit((n) => n + FILES_PAGE)}>
          {t("knowledge.moreFiles", { count: page.total - page.files.length })}
        </Button>
      ) : null}
    </section>
  );
}
