import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { AddRowButton, RemoveRowButton } from "../../../components/ui/ListRowButtons";
import { errorText } from "../../../i18n/errorText";
import { problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider } from "../../../ipc";
import { placeProblems, type Problem } from "../../../ipc/problems";
import { ModelVisionField } from "./ModelVisionField";
import {
  fieldOfPath,
  inputFrom,
  isSecret,
  keepsStored,
  looksSecret,
  validateDraft,
  type DraftField,
  type HeaderDraft,
  type ProviderDraft,
} from "./providerDraft";

/** Name, base URL, default model and extra headers of a new or stored provider. */
export function ProviderForm({
  provider,
  initial,
  onSaved,
}: {
  /** Null for a provider not created yet. */
  provider: Provider | null;
  initial: ProviderDraft;
  onSaved: (provider: Provider) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<DraftField, string | Problem>>>({});
  const [coreError, setCoreError] = useState<IpcError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const set = (patch: Partial<ProviderDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const setHeader = (index: number, patch: Partial<HeaderDraft>) =>
    set({ headers: draft.headers.map((h, i) => (i === index ? { ...h, ...patch } : h)) });

  const save = async () => {
    const found = validateDraft(draft);
    setErrors(found);
    setCoreError(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const input = inputFrom(draft);
      const stored = provider
        ? await ipc.updateProvider(provider.id, input)
        : await ipc.createProvider(input);
      setSaved(true);
      onSaved(stored);
    } catch (e) {
      const error = ipc.toIpcError(e);
      const placed = placeProblems(error.problems, fieldOfPath);
      if (error.code === "invalid_input" && placed.other.length === 0) setErrors(placed.fields);
      else setCoreError(error);
    } finally {
      setSaving(false);
    }
  };

  /** A key from `validateDraft`, or the core's problem, translated. */
  const message = (field: DraftField) => {
    const value = errors[field];
    if (!value) return null;
    // A header's problem names the header: the form lists them all under one field.
    const header =
      typeof value !== "string" && field === "headers" ? value.path.slice("headers.".length) : "";
    return (
      <p
        className="field-error"
        id={`${id}-${field}-error`}
        data-testid={`provider-error-${field}`}
      >
        {typeof value === "string"
          ? t(value as "providers.errorName")
          : `${header ? `${header}: ` : ""}${problemText(t, value)}`}
      </p>
    );
  };
  const invalid = (field: DraftField) =>
    errors[field]
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};

  return (
    <form
      className="settings-form provider-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="form-field">
        <label className="field-label" htmlFor={`${id}-name`}>
          {t("providers.name")}
        </label>
        <TextInput
          id={`${id}-name`}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          data-testid="provider-name"
          {...invalid("name")}
        />
        {message("name")}
      </div>
      <div className="form-field">
        <label className="field-label" htmlFor={`${id}-url`}>
          {t("providers.baseUrl")}
        </label>
        <TextInput
          id={`${id}-url`}
          className="mono"
          value={draft.baseUrl}
          placeholder="https://api.example.com/v1"
          spellCheck={false}
          onChange={(e) => set({ baseUrl: e.target.value })}
          data-testid="provider-base-url-input"
          {...invalid("baseUrl")}
        />
        {message("baseUrl")}
      </div>
      <div className="form-field">
        <label className="field-label" htmlFor={`${id}-model`}>
          {t("providers.defaultModel")}
        </label>
        <TextInput
          id={`${id}-model`}
          className="mono"
          value={draft.defaultModel}
          spellCheck={false}
          onChange={(e) => set({ defaultModel: e.target.value })}
          data-testid="provider-model-input"
          {...invalid("defaultModel")}
        />
        {message("defaultModel")}
      </div>
      {provider ? (
        <ModelVisionField
          key={`${provider.id}\n${provider.defaultModel}`}
          providerId={provider.id}
          model={provider.defaultModel}
        />
      ) : null}
      <fieldset className="form-field header-rows">
        <legend className="field-label">{t("providers.headers")}</legend>
        {draft.headers.length === 0 ? (
          <p className="field-hint">{t("providers.headersNone")}</p>
        ) : null}
        {draft.headers.map((header, index) => {
          const secret = isSecret(header);
          const forced = looksSecret(header.key);
          const kept = keepsStored(header);
          return (
            <div className="header-row" key={index} data-testid="provider-header-row">
              <TextInput
                aria-label={t("providers.headerName")}
                placeholder={t("providers.headerName")}
                className="mono"
                value={header.key}
                onChange={(e) => setHeader(index, { key: e.target.value })}
              />
              <TextInput
                aria-label={t("providers.headerValue")}
                placeholder={
                  kept
                    ? t("providers.headerStored", { last4: header.storedLast4 ?? "" })
                    : t("providers.headerValue")
                }
                className="mono"
                type={secret ? "password" : "text"}
                autoComplete="off"
                value={header.value}
                onChange={(e) => setHeader(index, { value: e.target.value })}
                data-testid="provider-header-value"
              />
              <label
                className="header-row__secret"
                title={forced ? t("providers.headerSecretForced") : t("providers.headerSecretHint")}
              >
                <input
                  type="checkbox"
                  checked={secret}
                  disabled={forced}
                  onChange={(e) => setHeader(index, { secret: e.target.checked })}
                  data-testid="provider-header-secret"
                />
                {t("providers.headerSecret")}
              </label>
              <RemoveRowButton
                label={t("providers.headerRemove")}
                onClick={() => set({ headers: draft.headers.filter((_, i) => i !== index) })}
              />
            </div>
          );
        })}
        <AddRowButton
          onClick={() =>
            set({ headers: [...draft.headers, { key: "", value: "", secret: false }] })
          }
          testId="provider-header-add"
        >
          {t("providers.headerAdd")}
        </AddRowButton>
        {message("headers")}
      </fieldset>
      {coreError ? (
        <Notice title={errorText(t, coreError)} details={coreError.message || undefined} />
      ) : null}
      <div className="settings-form__actions">
        {saved ? (
          <p className="field-success" role="status">
            {t("providers.saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={saving} data-testid="provider-save">
          {saving ? t("settings.saving") : provider ? t("settings.save") : t("providers.create")}
        </Button>
      </div>
    </form>
  );
}
