import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider } from "../../../ipc";
import { useProvidersPage } from "../../providers/store/providersPageStore";
import type { ProviderSettings } from "../hooks/useProviderSettings";
import { usePreferences } from "../store/preferencesStore";
import { ApiKeySection } from "./ApiKeySection";
import { useSettingsDialog } from "../store/settingsDialogStore";

/** The built-in connection's address and model (from the environment, else OpenAI's). */
function BuiltinFacts({ provider }: Pick<ProviderSettings, "provider">) {
  const { t } = useTranslation();
  const value = (field: "baseUrl" | "model") => {
    if (provider.status === "loading") return t("settings.loading");
    if (provider.status === "error") return "—";
    return provider.value[field];
  };
  return (
    <>
      <dl className="readonly-fields">
        <dt>{t("settings.providerBaseUrl")}</dt>
        <dd className="mono" data-testid="provider-base-url">
          {value("baseUrl")}
        </dd>
        <dt>{t("settings.providerModel")}</dt>
        <dd className="mono" data-testid="provider-model">
          {value("model")}
        </dd>
      </dl>
      {provider.status === "error" ? (
        <p className="field-error">{errorText(t, provider.error)}</p>
      ) : null}
    </>
  );
}

/**
 * Which provider serves agents that name none (the built-in Default among them): one of the
 * providers, or the built-in connection, whose key is kept here.
 */
export function DefaultProviderSection(settings: ProviderSettings) {
  const { t } = useTranslation();
  const id = useId();
  const value = usePreferences((s) => s.value);
  const save = usePreferences((s) => s.save);
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listProviders().then(
      (list) => live && setProviders(list),
      // Without the list only the built-in connection can be chosen; it still works.
      () => live && setProviders([]),
    );
    return () => {
      live = false;
    };
  }, []);

  const chosenId = value?.defaultProviderId ?? null;
  const chosen = providers?.find((p) => p.id === chosenId) ?? null;

  const choose = async (providerId: string | null) => {
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
    <>
      <section className="settings-section" data-testid="default-provider">
        <div className="settings-field">
          <div className="settings-field__text">
            <label className="settings-field__label" htmlFor={`${id}-provider`}>
              {t("settings.defaultProvider")}
            </label>
            <p className="settings-field__hint">{t("settings.defaultProviderHint")}</p>
          </div>
          <div className="settings-field__control">
            <select
              id={`${id}-provider`}
              className="select"
              value={chosen ? chosen.id : ""}
              disabled={value === null || providers === null}
              onChange={(event) => void choose(event.target.value || null)}
              data-testid="setting-default-provider"
            >
              <option value="">{t("settings.builtinConnection")}</option>
              {(providers ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {chosen ? (
          <div className="settings-form__row">
            <p className="field-hint">
              {t("settings.defaultProviderManaged", { name: chosen.name })}
            </p>
            <Button size="sm" onClick={openProviders} data-testid="settings-open-providers">
              {t("chat.openProviders")}
            </Button>
          </div>
        ) : (
          <BuiltinFacts provider={settings.provider} />
        )}
        {error ? <Notice title={errorText(t, error)} details={errorDetails(error)} /> : null}
      </section>
      {chosen ? null : <ApiKeySection {...settings} />}
    </>
  );
}
