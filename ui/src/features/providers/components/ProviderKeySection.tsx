import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { KeyIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, KeyStatus } from "../../../ipc";

/** Keyed by the provider's id. The provider's key: only whether it is set and its last four characters are ever shown. */
export function ProviderKeySection({
  providerId,
  onChanged,
}: {
  providerId: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const [draft, setDraft] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.getProviderKeyStatus(providerId).then(
      (s) => live && setStatus(s),
      (e: unknown) => live && setError(ipc.toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [providerId]);

  const run = async (action: () => Promise<KeyStatus>) => {
    setPending(true);
    setError(null);
    try {
      setStatus(await action());
      setDraft("");
      onChanged();
    } catch (e) {
      setError(ipc.toIpcError(e));
    } finally {
      setPending(false);
    }
  };

  const isSet = status?.set ?? false;
  let label: string;
  if (status === null) label = t("settings.loading");
  else if (!status.set) label = t("settings.apiKeyStatusNotSet");
  else if (status.last4) label = t("settings.apiKeyStatusSet", { last4: status.last4 });
  else label = t("settings.apiKeyStatusSetShort");

  return (
    <section className="settings-section" aria-labelledby={`${inputId}-heading`}>
      <div className="settings-section__head">
        <h3 id={`${inputId}-heading`} className="settings-section__title">
          {t("settings.apiKeyHeading")}
        </h3>
        <span
          className={`key-status${isSet ? " key-status--set" : ""}`}
          data-testid="provider-key-status"
        >
          <KeyIcon />
          {label}
        </span>
      </div>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          const key = draft.trim();
          if (key !== "") void run(() => ipc.setProviderApiKey(providerId, key));
        }}
      >
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
            disabled={pending}
            data-testid="provider-key-input"
          />
          <Button
            type="submit"
            variant="primary"
            disabled={pending || draft.trim() === ""}
            data-testid="provider-key-save"
          >
            {isSet ? t("settings.apiKeyReplace") : t("settings.apiKeySave")}
          </Button>
          {isSet ? (
            <Button
              variant="ghost"
              className="btn--danger-text"
              disabled={pending}
              onClick={() => void run(() => ipc.clearProviderApiKey(providerId))}
              data-testid="provider-key-clear"
            >
              {t("settings.apiKeyClear")}
            </Button>
          ) : null}
        </div>
        <p className="field-hint">{t("settings.apiKeyNote")}</p>
        {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      </form>
    </section>
  );
}
