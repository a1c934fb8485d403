import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { errorText } from "../../../i18n/errorText";
import { problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { Provider } from "../../../ipc";
import { ModelVisionField } from "./ModelVisionField";
import {
  fieldOfPath,
  inputFrom,
  validateDraft,
  type DraftField,
  type ProviderDraft,
} from "./providerDraft";
import { SecretValueRows } from "./SecretValueRows";
import { useDraftForm } from "./useDraftForm";

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
  const { draft, set, errors, coreError, saving, saved, save } = useDraftForm({
    initial,
    validate: validateDraft,
    fieldOfPath: fieldOfPath,
    send: (d) =>
      provider ? ipc.updateProvider(provider.id, inputFrom(d)) : ipc.createProvider(inputFrom(d)),
    onSaved,
  });

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
      <SecretValueRows
        legend={t("providers.headers")}
        empty={t("providers.headersNone")}
        nameLabel={t("providers.headerName")}
        addLabel={t("providers.headerAdd")}
        removeLabel={t("providers.headerRemove")}
        testId="provider-header"
        rows={draft.headers}
        onChange={(headers) => set({ headers })}
        error={message("headers")}
      />
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
