import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatPrice } from "../../../i18n/format";
import * as ipc from "../../../ipc";
import type { IpcError, ModelPrice } from "../../../ipc";
import { PriceEditor } from "./PriceEditor";

/** Which row is being edited: a listed model, a new one, or none. */
type Editing = { model: string } | "new" | null;

/** One provider's prices, read when it is shown: a table to edit, reset and add to. */
export function PriceTable({ providerId }: { providerId: string }) {
  const { t, i18n } = useTranslation();
  const [prices, setPrices] = useState<ModelPrice[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listModelPrices(providerId).then(
      (list) => live && setPrices(list),
      (e: unknown) => live && (setPrices([]), setError(ipc.toIpcError(e))),
    );
    return () => {
      live = false;
    };
  }, [providerId]);

  const saved = (list: ModelPrice[]) => {
    setPrices(list);
    setEditing(null);
  };

  const reset = async (model: string) => {
    setError(null);
    try {
      saved(await ipc.removeModelPrice(providerId, model));
    } catch (e) {
      setError(ipc.toIpcError(e));
    }
  };

  const n = (value: number | null) => (value == null ? "—" : formatPrice(value, i18n.language));

  return (
    <>
      {prices !== null && (prices.length > 0 || editing === "new") ? (
        <table className="prices-table" data-testid="prices-table">
          <thead>
            <tr>
              <th scope="col">{t("settings.prices.model")}</th>
              <th scope="col">{t("settings.prices.input")}</th>
              <th scope="col">{t("settings.prices.cachedInput")}</th>
              <th scope="col">{t("settings.prices.output")}</th>
              <th scope="col">{t("settings.prices.currency")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("settings.prices.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prices.map((entry) =>
              editing !== null && editing !== "new" && editing.model === entry.model ? (
                <PriceEditor
                  key={entry.model}
                  providerId={providerId}
                  entry={entry}
                  onSaved={saved}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <tr key={entry.model} data-testid="price-row">
                  <th scope="row" className="mono">
                    {entry.model}
                    {entry.custom ? (
                      <span className="pill">{t("settings.prices.custom")}</span>
                    ) : null}
                  </th>
                  <td>{n(entry.price.input)}</td>
                  <td>{n(entry.price.cachedInput)}</td>
                  <td>{n(entry.price.output)}</td>
                  <td>{entry.price.currency}</td>
                  <td className="prices-table__actions">
                    <Button size="sm" variant="ghost" onClick={() => setEditing(entry)}>
                      {t("settings.prices.edit")}
                    </Button>
                    {entry.custom ? (
                      <Button size="sm" variant="ghost" onClick={() => void reset(entry.model)}>
                        {entry.shipped ? t("settings.prices.reset") : t("settings.prices.remove")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
            {editing === "new" ? (
              <PriceEditor
                providerId={providerId}
                entry={null}
                onSaved={saved}
                onCancel={() => setEditing(null)}
              />
            ) : null}
          </tbody>
        </table>
      ) : null}
      {prices !== null && prices.length === 0 && editing !== "new" ? (
        <p className="field-hint" data-testid="prices-none">
          {t("settings.prices.none")}
        </p>
      ) : null}
      {prices !== null && editing === null ? (
        <div className="settings-form__row">
          <Button size="sm" onClick={() => setEditing("new")} data-testid="prices-add">
            {t("settings.prices.add")}
          </Button>
        </div>
      ) : null}
      {error ? <Notice title={errorText(t, error)} details={errorDetails(error)} /> : null}
    </>
  );
}
