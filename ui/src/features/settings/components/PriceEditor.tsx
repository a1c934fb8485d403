import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { TextInput } from "../../../components/ui/TextInput";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { IpcError, ModelPrice, Price } from "../../../ipc";
import { placeProblems } from "../../../ipc/problems";

const FIELDS = ["model", "input", "cachedInput", "output", "currency"] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;

function draftOf(entry: ModelPrice | null): Draft {
  const price = entry?.price;
  const text = (n: number | null | undefined) => (n == null ? "" : String(n));
  return {
    model: entry?.model ?? "",
    input: text(price?.input),
    cachedInput: text(price?.cachedInput),
    output: text(price?.output),
    currency: price?.currency ?? "USD",
  };
}

/** A figure as typed: a number, `null` for an empty optional one, or `undefined` if not one. */
function figure(text: string, optional: boolean): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return optional ? null : undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * One price being edited, as a table row: the model (for a new one), the three figures and
 * the currency. The core checks it; its problems show under the row, at their fields.
 */
export function PriceEditor({
  providerId,
  entry,
  onSaved,
  onCancel,
}: {
  providerId: string;
  /** The price edited; `null` for a model not listed yet. */
  entry: ModelPrice | null;
  onSaved: (prices: ModelPrice[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(entry));
  const [notANumber, setNotANumber] = useState<Field | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const input = figure(draft.input, false);
    const cachedInput = figure(draft.cachedInput, true);
    const output = figure(draft.output, false);
    const bad =
      input === undefined
        ? "input"
        : cachedInput === undefined
          ? "cachedInput"
          : output === undefined
            ? "output"
            : null;
    setError(null);
    setNotANumber(bad);
    if (bad !== null) return;
    const price: Price = {
      input: input ?? 0,
      cachedInput: cachedInput ?? null,
      output: output ?? 0,
      currency: draft.currency,
    };
    setSaving(true);
    try {
      onSaved(await ipc.setModelPrice(providerId, draft.model, price));
    } catch (e) {
      setError(ipc.toIpcError(e));
    } finally {
      setSaving(false);
    }
  };

  const placed =
    error?.code === "invalid_input"
      ? placeProblems(error.problems, (path) => FIELDS.find((f) => f === path) ?? null)
      : null;
  const invalid = (field: Field) => notANumber === field || placed?.fields[field] !== undefined;
  const messages = [
    notANumber ? t("settings.prices.notANumber") : null,
    ...FIELDS.map((f) => {
      const problem = placed?.fields[f];
      return problem ? `${t(`settings.prices.${f}`)}: ${problemText(t, problem)}` : null;
    }),
    ...(placed?.other ?? []).map((p) => problemText(t, p)),
    error && !placed ? errorText(t, error) : null,
  ].filter((m): m is string => m !== null);
  const details = error && !placed ? errorDetails(error) : null;

  const cell = (field: Field, label: string, className?: string) => (
    <td>
      <TextInput
        value={draft[field]}
        aria-label={label}
        aria-invalid={invalid(field) || undefined}
        className={className}
        inputMode={field === "model" || field === "currency" ? undefined : "decimal"}
        onChange={(event) => setDraft((d) => ({ ...d, [field]: event.target.value }))}
        data-testid={`price-${field}`}
      />
    </td>
  );

  return (
    <>
      <tr className="prices-table__editing" data-testid="price-editor">
        {entry ? (
          <th scope="row" className="mono">
            {entry.model}
          </th>
        ) : (
          cell("model", t("settings.prices.model"), "mono")
        )}
        {cell("input", t("settings.prices.input"), "prices-table__figure")}
        {cell("cachedInput", t("settings.prices.cachedInput"), "prices-table__figure")}
        {cell("output", t("settings.prices.output"), "prices-table__figure")}
        {cell("currency", t("settings.prices.currency"), "prices-table__currency")}
        <td className="prices-table__actions">
          <Button size="sm" variant="primary" disabled={saving} onClick={() => void save()}>
            {t("settings.prices.save")}
          </Button>
          <Button size="sm" variant="ghost" onClick={onCancel}>
            {t("settings.prices.cancel")}
          </Button>
        </td>
      </tr>
      {messages.length > 0 ? (
        <tr>
          <td colSpan={6} className="field-error" role="alert" data-testid="price-problems">
            {messages.join(" ")}
            {details ? <span className="field-hint"> {details}</span> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
