import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider } from "../../../ipc";
import { usePreferences } from "../store/preferencesStore";
import { SettingsField } from "./SettingsField";
import { PriceTable } from "./PriceTable";

/**
 * What a million tokens cost, per provider and model: the prices Confab ships and the
 * person's own, which win. Replies and statistics show their cost from these.
 */
export function PricesSection() {
  const { t } = useTranslation();
  const id = useId();
  const defaultProviderId = usePreferences((s) => s.value?.defaultProviderId ?? null);
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listProviders().then(
      (list) => live && setProviders(list),
      (e: unknown) => live && (setProviders([]), setError(ipc.toIpcError(e))),
    );
    return () => {
      live = false;
    };
  }, []);

  const providerId =
    chosen ?? providers?.find((p) => p.id === defaultProviderId)?.id ?? providers?.[0]?.id ?? null;

  return (
    <section className="settings-section" data-testid="prices">
      <h3 className="settings-section__title">{t("settings.prices.title")}</h3>
      <SettingsField
        id={`${id}-provider`}
        label={t("settings.prices.provider")}
        hint={t("settings.prices.hint")}
      >
        <select
          id={`${id}-provider`}
          className="select"
          value={providerId ?? ""}
          disabled={!providers || providers.length === 0}
          onChange={(event) => setChosen(event.target.value)}
          data-testid="prices-provider"
        >
          {(providers ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </SettingsField>
      {providerId !== null ? <PriceTable key={providerId} providerId={providerId} /> : null}
      {error ? <Notice title={errorText(t, error)} details={errorDetails(error)} /> : null}
    </section>
  );
}
