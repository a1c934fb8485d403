import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { KeyIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import type { ProviderSettings } from "../hooks/useProviderSettings";

type Props = Pick<
  ProviderSettings,
  "keyStatus" | "pending" | "actionError" | "lastAction" | "saveKey" | "clearKey"
>;

export function ApiKeySection({
  keyStatus,
  pending,
  actionError,
  lastAction,
  saveKey,
  clearKey,
}: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const statusId = useId();
  // The draft lives only in this input; it is dropped once the core has it.
  const [draft, setDraft] = useState("");

  const isSet = keyStatus.status === "ready" && keyStatus.value.set;
  const busy = pending !== null || keyStatus.status === "loading";

  let status: string;
  if (keyStatus.status === "loading") status = t("settings.loading");
  else if (keyStatus.status === "error") status = errorText(t, keyStatus.error);
  else if (!keyStatus.value.set) status = t("settings.apiKeyStatusNotSet");
  else if (keyStatus.value.last4)
    status = t("settings.apiKeyStatusSet", { last4: keyStatus.value.last4 });
  else status = t("settings.apiKeyStatusSetShort");

  const save = async () => {
    const key = draft.trim();
    if (key === "") return;
    if (await saveKey(key)) setDraft("");
  };

  return (
    <section className="settings-section" aria-labelledby={`${inputId}-heading`}>
      <div className="settings-section__head">
        <h3 id={`${inputId}-heading`} className="settings-section__title">
          {t("settings.apiKeyHeading")}
        </h3>
        <span
          id={statusId}
          className={`key-status${isSet ? " key-status--set" : ""}`}
          data-testid="api-key-status"
        >
          <KeyIcon />
          {status}
        </span>
      </div>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {/* The section heading already says what the field is; the label is for screen readers. */}
        <label className="visually-hidden" htmlFor={inputId}>
          {t("settings.apiKeyLabel")}
        </label>
        <div className="settings-form__row">
          <TextInput
            id={inputId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder={
              isSet ? t("settings.apiKeyReplacePlaceholder") : t("settings.apiKeyPlaceholder")
            }
            aria-describedby={statusId}
            disabled={pending !== null}
            data-testid="api-key-input"
            data-autofocus
          />
          <Button
            type="submit"
            variant="primary"
            disabled={busy || draft.trim() === ""}
            data-testid="save-api-key"
          >
            {pending === "save"
              ? t("settings.apiKeySaving")
              : isSet
                ? t("settings.apiKeyReplace")
                : t("settings.apiKeySave")}
          </Button>
          {isSet ? (
            <Button
              variant="ghost"
              className="btn--danger-text"
              disabled={busy}
              onClick={() => void clearKey()}
              data-testid="clear-api-key"
            >
              {t("settings.apiKeyClear")}
            </Button>
          ) : null}
        </div>
        <p className="field-hint">{t("settings.apiKeyNote")}</p>
        {actionError ? <Notice title={errorText(t, actionError)} /> : null}
        {lastAction ? (
          <p className="field-success" role="status">
            {lastAction === "saved" ? t("settings.apiKeySaved") : t("settings.apiKeyCleared")}
          </p>
        ) : null}
      </form>
    </section>
  );
}
