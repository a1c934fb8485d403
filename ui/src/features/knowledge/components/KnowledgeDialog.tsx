import { useEffect, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ConfirmDelete } from "../../../components/ui/ConfirmDelete";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { PlusIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import { formatBytes, formatNumber } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { IpcError, KnowledgeBase } from "../../../ipc";
import { useKnowledge } from "../store/knowledgeStore";
import { IndexingPanel } from "./IndexingPanel";
import { KnowledgeBaseForm } from "./KnowledgeBaseForm";
import { KnowledgeFiles } from "./KnowledgeFiles";
import { KnowledgeSearch } from "./KnowledgeSearch";
import { KnowledgeSources } from "./KnowledgeSources";

function DeleteBase({ base, onDeleted }: { base: KnowledgeBase; onDeleted: () => void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await ipc.deleteKnowledgeBase(base.id);
      onDeleted();
    } catch (e) {
      setError(ipc.toIpcError(e));
      setPending(false);
    }
  };
  return (
    <section className="settings-section providers__danger kb-danger">
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      <ConfirmDelete
        confirming={confirming}
        onConfirmingChange={setConfirming}
        labels={{
          question: t("knowledge.deleteQuestion", {
            name: base.name,
            size: formatBytes(base.counts.bytes, i18n.language),
          }),
          delete: t("knowledge.delete"),
          cancel: t("conversations.cancel"),
        }}
        disabled={pending}
        onConfirm={() => void remove()}
        testId="kb-delete"
      />
    </section>
  );
}

/** One line about a base for the list: its files, and how it searches. */
function baseSummary(t: TFunction, base: KnowledgeBase, lng: string) {
  const files = t("knowledge.fileCount", {
    count: base.counts.files,
    n: formatNumber(base.counts.files, lng),
  });
  const how = base.providerId ? base.embeddingModel : t("knowledge.keywordShort");
  return `${files} · ${how}`;
}

function KnowledgeContent() {
  const { t, i18n } = useTranslation();
  const { bases, status, error, load, put, drop } = useKnowledge();
  // A base id, "new" for the form of a new one, or null for the first base.
  const [selected, setSelected] = useState<string | null>(null);
  // Goes up when indexing got further or sources changed: lists read again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    void useKnowledge.getState().load();
  }, []);

  if (status === "error" && error) {
    return (
      <Notice
        title={t("knowledge.loadFailed")}
        details={errorText(t, error)}
        actions={
          <Button size="sm" onClick={() => void load()}>
            {t("settings.retry")}
          </Button>
        }
      />
    );
  }
  if (status !== "ready") return <Spinner label={t("settings.loading")} />;

  const current =
    selected === "new" ? null : (bases.find((b) => b.id === selected) ?? bases[0] ?? null);
  const changed = () => {
    setVersion((v) => v + 1);
    void load();
  };

  return (
    <div className="providers kb-page">
      <div className="providers__list">
        {bases.length === 0 ? (
          <p className="providers__none" data-testid="kb-none">
            {t("knowledge.none")}
          </p>
        ) : null}
        <ul aria-label={t("knowledge.listLabel")}>
          {bases.map((b) => (
            <li key={b.id}>
              <button
                type="button"
                className="providers__item"
                aria-current={current?.id === b.id ? "true" : undefined}
                onClick={() => setSelected(b.id)}
                data-testid="kb-item"
              >
                <span className="providers__item-name">{b.name}</span>
                <span className="providers__item-meta">{baseSummary(t, b, i18n.language)}</span>
                {b.counts.pending > 0 ? (
                  <span className="kb-item__pending">
                    {t("knowledge.pendingCount", { count: b.counts.pending })}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div className="providers__add">
          <Button
            size="sm"
            icon={<PlusIcon />}
            onClick={() => setSelected("new")}
            data-testid="kb-add"
          >
            {t("knowledge.add")}
          </Button>
        </div>
      </div>
      <div className="providers__detail">
        <h3 className="providers__detail-title">{current ? current.name : t("knowledge.new")}</h3>
        {current ? (
          <>
            <IndexingPanel
              key={`run-${current.id}`}
              base={current}
              version={version}
              onAdvance={changed}
            />
            <KnowledgeSources
              key={`sources-${current.id}`}
              kbId={current.id}
              version={version}
              onChanged={changed}
            />
            <KnowledgeFiles key={`files-${current.id}`} base={current} version={version} />
            <KnowledgeSearch key={`search-${current.id}`} base={current} />
          </>
        ) : (
          <p className="field-hint kb-new-hint">{t("knowledge.newHint")}</p>
        )}
        <section className="settings-section">
          {current ? (
            <h3 className="settings-section__title">{t("knowledge.settingsHeading")}</h3>
          ) : null}
          <KnowledgeBaseForm
            key={current?.id ?? "new"}
            base={current}
            onSaved={(base) => {
              put(base);
              setSelected(base.id);
              setVersion((v) => v + 1);
            }}
          />
        </section>
        {current ? (
          <DeleteBase
            key={`delete-${current.id}`}
            base={current}
            onDeleted={() => {
              drop(current.id);
              setSelected(null);
            }}
          />
        ) : null}
      </div>
    </div>
  );
}

/** The knowledge bases page, opened from the sidebar. */
export function KnowledgeDialog() {
  const { t } = useTranslation();
  const open = useKnowledge((s) => s.open);
  const setOpen = useKnowledge((s) => s.setOpen);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("knowledge.title")}
      description={t("knowledge.description")}
      closeLabel={t("knowledge.close")}
      size="lg"
    >
      {open ? <KnowledgeContent /> : null}
    </Dialog>
  );
}
