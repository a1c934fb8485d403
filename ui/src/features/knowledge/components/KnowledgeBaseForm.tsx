import { useEffect, useId, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { FormField } from "../../../components/ui/FormField";
import { Notice } from "../../../components/ui/Notice";
import { Switch } from "../../../components/ui/Switch";
import { TextInput } from "../../../components/ui/TextInput";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { KnowledgeBase, Provider } from "../../../ipc";
import { useDraftForm } from "../../providers/components/useDraftForm";
import {
  EMBEDDING_SUGGESTIONS,
  RERANK_SUGGESTIONS,
  draftFrom,
  fieldOfPath,
  inputFrom,
  isMultimodalModel,
  reembeds,
  validateDraft,
  type KnowledgeField,
} from "./knowledgeDraft";

/**
 * A knowledge base's settings: its name, where its embeddings come from (or none: keyword
 * search only), how its files are cut, and how much of them a reply gets. Changing the
 * provider or the model asks first, as every file is embedded again.
 */
export function KnowledgeBaseForm({
  base,
  onSaved,
}: {
  /** Null for a base not created yet. */
  base: KnowledgeBase | null;
  onSaved: (base: KnowledgeBase) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [providers, setProviders] = useState<Provider[]>([]);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    let live = true;
    ipc.listProviders().then(
      (list) => live && setProviders(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const { draft, set, errors, coreError, saving, saved, save } = useDraftForm({
    initial: draftFrom(base),
    validate: validateDraft,
    fieldOfPath,
    send: (d) => {
      const input = inputFrom(d);
      return base ? ipc.updateKnowledgeBase(base.id, input) : ipc.createKnowledgeBase(input);
    },
    onSaved: (stored: KnowledgeBase) => {
      setConfirming(false);
      onSaved(stored);
    },
  });
  const keywordOnly = draft.providerId === "";

  const message = (field: KnowledgeField) => {
    const value = errors[field];
    if (!value) return null;
    return (
      <p className="field-error" id={`${id}-${field}-error`} data-testid={`kb-error-${field}`}>
        {typeof value === "string"
          ? t(`knowledge.${value}`)
          : value.rule === "taken"
            ? t("knowledge.nameTaken", { value: value.params.value ?? draft.name })
            : problemText(t, value)}
      </p>
    );
  };
  const invalid = (field: KnowledgeField) =>
    errors[field]
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};
  const field = (key: KnowledgeField, label: string, control: ReactNode, hint?: string) => (
    <FormField htmlFor={`${id}-${key}`} label={label} hint={hint} error={message(key)}>
      {control}
    </FormField>
  );
  const number = (key: "chunkTokens" | "chunkOverlap" | "topK" | "contextTokens") => (
    <TextInput
      id={`${id}-${key}`}
      inputMode="numeric"
      value={draft[key]}
      onChange={(e) => set({ [key]: e.target.value })}
      data-testid={`kb-${key}`}
      {...invalid(key)}
    />
  );

  return (
    <form
      className="settings-form kb-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirming && reembeds(base, draft)) setConfirming(true);
        else void save();
      }}
    >
      {field(
        "name",
        t("knowledge.name"),
        <TextInput
          id={`${id}-name`}
          value={draft.name}
          placeholder={t("knowledge.namePlaceholder")}
          onChange={(e) => set({ name: e.target.value })}
          data-testid="kb-name"
          {...invalid("name")}
        />,
      )}
      <div className="kb-form__pair">
        {field(
          "providerId",
          t("knowledge.provider"),
          <select
            id={`${id}-providerId`}
            className="select"
            value={draft.providerId}
            onChange={(e) => {
              set({ providerId: e.target.value });
              setConfirming(false);
            }}
            data-testid="kb-provider"
            {...invalid("providerId")}
          >
            <option value="">{t("knowledge.providerNone")}</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>,
          keywordOnly ? t("knowledge.providerNoneHint") : undefined,
        )}
        {field(
          "embeddingModel",
          t("knowledge.embeddingModel"),
          <TextInput
            id={`${id}-embeddingModel`}
            className="mono"
            value={draft.embeddingModel}
            placeholder="text-embedding-3-small"
            list={`${id}-embedding-models`}
            spellCheck={false}
            disabled={keywordOnly}
            onChange={(e) => {
              set({ embeddingModel: e.target.value });
              setConfirming(false);
            }}
            data-testid="kb-embeddingModel"
            {...invalid("embeddingModel")}
          />,
        )}
      </div>
      <datalist id={`${id}-embedding-models`}>
        {EMBEDDING_SUGGESTIONS.map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
      {field(
        "rerankModel",
        t("knowledge.rerankModel"),
        <TextInput
          id={`${id}-rerankModel`}
          className="mono"
          value={draft.rerankModel}
          placeholder={t("knowledge.optional")}
          list={`${id}-rerank-models`}
          spellCheck={false}
          disabled={keywordOnly}
          onChange={(e) => set({ rerankModel: e.target.value })}
          data-testid="kb-rerankModel"
          {...invalid("rerankModel")}
        />,
        t("knowledge.rerankHint"),
      )}
      <datalist id={`${id}-rerank-models`}>
        {RERANK_SUGGESTIONS.map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
      <div className="kb-form__images">
        <label className="kb-form__switch">
          <Switch
            checked={draft.indexImages && !keywordOnly}
            label={t("knowledge.indexImages")}
            disabled={keywordOnly}
            onCheckedChange={(on) => set({ indexImages: on })}
            data-testid="kb-indexImages"
          />
          <span aria-hidden="true">{t("knowledge.indexImages")}</span>
        </label>
        <p className="field-hint" data-testid="kb-indexImages-hint">
          {draft.indexImages && !keywordOnly && !isMultimodalModel(draft.embeddingModel)
            ? t("knowledge.indexImagesModel", { model: draft.embeddingModel.trim() || "—" })
            : t("knowledge.indexImagesHint")}
        </p>
      </div>
      <div className="kb-form__pair">
        {field("chunkTokens", t("knowledge.chunkTokens"), number("chunkTokens"))}
        {field("chunkOverlap", t("knowledge.chunkOverlap"), number("chunkOverlap"))}
      </div>
      <div className="kb-form__pair">
        {field("topK", t("knowledge.topK"), number("topK"), t("knowledge.topKHint"))}
        {field(
          "contextTokens",
          t("knowledge.contextTokens"),
          number("contextTokens"),
          t("knowledge.contextTokensHint"),
        )}
      </div>
      {confirming && base ? (
        <Notice
          tone="info"
          title={t("knowledge.reembedTitle")}
          details={t("knowledge.reembedDetails", { count: base.counts.files })}
          data-testid="kb-reembed"
          actions={
            <>
              <Button
                size="sm"
                variant="primary"
                disabled={saving}
                onClick={() => void save()}
                data-testid="kb-reembed-confirm"
              >
                {t("knowledge.reembedConfirm")}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                {t("conversations.cancel")}
              </Button>
            </>
          }
        />
      ) : null}
      {coreError ? (
        <Notice title={errorText(t, coreError)} details={errorDetails(coreError) ?? undefined} />
      ) : null}
      <div className="settings-form__actions">
        {saved ? (
          <p className="field-success" role="status">
            {t("knowledge.saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={saving} data-testid="kb-save">
          {saving ? t("settings.saving") : base ? t("settings.save") : t("knowledge.create")}
        </Button>
      </div>
    </form>
  );
}
