import { Fragment, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider } from "../../../ipc";
import { useProvidersPage } from "../../providers/store/providersPageStore";
import { usePreferences } from "../store/preferencesStore";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { SettingsField } from "./SettingsField";

/**
 * The providers there are, and which one serves agents that name none (the built-in Default
 * among them). Addresses, models and keys are all edited on the providers page.
 */
export function DefaultProviderSection() {
  const { t } = useTranslation();
  const id = useId();
  const value = usePreferences((s) => s.value);
  const save = usePreferences((s) => s.save);
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listProviders().then(
      (list) => live && setProviders(list),
      (e: unknown) => {
        if (!live) return;
        setProviders([]);
        setLoadError(ipc.toIpcError(e));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const chosenId = value?.defaultProviderId ?? null;
  const chosen = providers?.find((p) => p.id === chosenId) ?? null;

  const choose = async (providerId: string) => {
    setError(null);
    try {
      await save({ defaultProviderId: providerId });
    } catch (e) {
      setError(ipc.toIpcError(e));
    }
  };

  const openProviders = () => {
    useSettingsDialog.getState().setOpen(false);
    useProvidersPage.getState().setOpen(true);
  };

  return (
    <section className="settings-section" data-testid="default-provider">
      <SettingsField
        id={`${id}-provider`}
        label={t("settings.defaultProvider")}
        hint={t("settings.defaultProviderHint")}
      >
        <select
          id={`${id}-provider`}
          className="select"
          value={chosen ? chosen.id : ""}
          disabled={value === null || providers === null || providers.length === 0}
          onChange={(event) => void choose(event.target.value)}
          data-testid="setting-default-provider"
        >
          {chosen ? null : (
            <option value="" disabled>
              {t("settings.chooseProvider")}
            </option>
          )}
          {(providers ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </SettingsField>
      {providers !== null && providers.length > 0 ? (
        <dl className="readonly-fields" data-testid="settings-providers">
          {providers.map((p) => (
            <Fragment key={p.id}>
              <dt>{p.name}</dt>
              <dd>
                <span className="mono">{p.defaultModel}</span>
                {" · "}
                {p.keySet ? t("providers.keySet") : t("settings.providerNoKey")}
              </dd>
            </Fragment>
          ))}
        </dl>
      ) : null}
      {providers !== null && providers.length === 0 && loadError === null ? (
        <p className="field-hint" data-testid="settings-no-providers">
          {t("settings.noProviders")}
        </p>
      ) : null}
      <div className="settings-form__row">
        <Button size="sm" onClick={openProviders} data-testid="settings-open-providers">
          {t("chat.openProviders")}
        </Button>
      </div>
      {loadError ? (
        <Notice title={t("providers.loadFailed")} details={errorText(t, loadError)} />
      ) : null}
      {error ? <Notice title={errorText(t, error)} details={errorDetails(error)} /> : null}
    </section>
  );
}
