import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { Notice } from "../../../components/ui/Notice";
import { Switch } from "../../../components/ui/Switch";
import { FileIcon, PlusIcon, TrashIcon } from "../../../components/ui/icons";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { IpcError, KnowledgeSource } from "../../../ipc";

/**
 * The files and folders a base is made of: add some through the system's dialog, watch a
 * folder for changes, or take one out (its chunks go with it).
 */
export function KnowledgeSources({
  kbId,
  version,
  onChanged,
}: {
  kbId: string;
  version: number;
  /** Sources were added or removed: indexing and the counts change. */
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [sources, setSources] = useState<KnowledgeSource[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let live = true;
    ipc.listKnowledgeSources(kbId).then(
      (list) => live && setSources(list),
      (e: unknown) => live && setError(ipc.toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [kbId, version]);

  const attempt = async (run: () => Promise<void>) => {
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(ipc.toIpcError(e));
    }
  };
  const add = (folders: boolean) =>
    attempt(async () => {
      setAdding(true);
      try {
        const paths = await ipc.chooseKnowledgePaths(folders);
        for (const path of paths) {
          const source = await ipc.addKnowledgeSource(kbId, path);
          setSources((list) => [...(list ?? []), source]);
        }
        if (paths.length > 0) onChanged();
      } finally {
        setAdding(false);
      }
    });
  const remove = (source: KnowledgeSource) =>
    attempt(async () => {
      await ipc.removeKnowledgeSource(kbId, source.id);
      setSources((list) => (list ?? []).filter((s) => s.id !== source.id));
      onChanged();
    });
  const watch = (source: KnowledgeSource, on: boolean) =>
    attempt(async () => {
      await ipc.setKnowledgeSourceWatch(kbId, source.id, on);
      setSources((list) => (list ?? []).map((s) => (s.id === source.id ? { ...s, watch: on } : s)));
    });

  return (
    <section className="settings-section kb-sources" data-testid="kb-sources">
      <h3 className="settings-section__title">{t("knowledge.sourcesHeading")}</h3>
      {sources && sources.length === 0 ? (
        <p className="field-hint" data-testid="kb-sources-none">
          {t("knowledge.sourcesNone")}
        </p>
      ) : null}
      <ul className="kb-source-list">
        {sources?.map((source) => (
          <li key={source.id} className="kb-source" data-testid="kb-source">
            <span className="kb-source__icon" aria-hidden="true">
              {source.isFolder ? "📁" : <FileIcon />}
            </span>
            <span className="kb-source__path mono" title={source.path}>
              {source.path}
            </span>
            <span className="kb-source__files">
              {t("knowledge.sourceFiles", {
                count: source.files,
                n: formatNumber(source.files, i18n.language),
              })}
            </span>
            {source.isFolder ? (
              <label className="kb-source__watch">
                <Switch
                  checked={source.watch}
                  label={t("knowledge.watch", { path: source.path })}
                  onCheckedChange={(on) => void watch(source, on)}
                  data-testid="kb-source-watch"
                />
                <span aria-hidden="true">{t("knowledge.watchShort")}</span>
              </label>
            ) : null}
            <IconButton
              size="sm"
              label={t("knowledge.removeSource", { path: source.path })}
              icon={<TrashIcon />}
              onClick={() => void remove(source)}
              data-testid="kb-source-remove"
            />
          </li>
        ))}
      </ul>
      {error ? (
        <Notice title={errorText(t, error)} details={errorDetails(error) ?? undefined} />
      ) : null}
      <div className="kb-sources__add">
        <Button
          size="sm"
          icon={<PlusIcon />}
          disabled={adding}
          onClick={() => void add(true)}
          data-testid="kb-add-folder"
        >
          {t("knowledge.addFolder")}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={adding}
          onClick={() => void add(false)}
          data-testid="kb-add-files"
        >
          {t("knowledge.addFiles")}
        </Button>
      </div>
    </section>
  );
}
