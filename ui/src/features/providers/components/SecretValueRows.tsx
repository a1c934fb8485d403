import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { TextInput } from "../../../components/ui/TextInput";
import { AddRowButton, RemoveRowButton } from "../../../components/ui/ListRowButtons";
import { isSecret, keepsStored, looksSecret, type HeaderDraft } from "./providerDraft";

/**
 * Named values as rows of name, value and "secret": a provider's extra headers, an MCP
 * server's headers or environment. A secret's value goes to the system keychain and never
 * comes back: its row shows the last four characters, and an empty value keeps it.
 * Test ids are `${testId}-row`, `-name`, `-value`, `-secret` and `-add`.
 */
export function SecretValueRows({
  legend,
  empty,
  nameLabel,
  addLabel,
  removeLabel,
  testId,
  rows,
  onChange,
  error,
}: {
  legend: string;
  /** Said when there is no row. */
  empty: string;
  nameLabel: string;
  addLabel: string;
  removeLabel: string;
  testId: string;
  rows: HeaderDraft[];
  onChange: (rows: HeaderDraft[]) => void;
  error: ReactNode;
}) {
  const { t } = useTranslation();
  const set = (index: number, patch: Partial<HeaderDraft>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <fieldset className="form-field header-rows">
      <legend className="field-label">{legend}</legend>
      {rows.length === 0 ? <p className="field-hint">{empty}</p> : null}
      {rows.map((row, index) => {
        const secret = isSecret(row);
        const forced = looksSecret(row.key);
        return (
          <div className="header-row" key={index} data-testid={`${testId}-row`}>
            <TextInput
              aria-label={nameLabel}
              placeholder={nameLabel}
              className="mono"
              spellCheck={false}
              value={row.key}
              onChange={(e) => set(index, { key: e.target.value })}
              data-testid={`${testId}-name`}
            />
            <TextInput
              aria-label={t("providers.headerValue")}
              placeholder={
                keepsStored(row)
                  ? t("providers.headerStored", { last4: row.storedLast4 ?? "" })
                  : t("providers.headerValue")
              }
              className="mono"
              type={secret ? "password" : "text"}
              autoComplete="off"
              spellCheck={false}
              value={row.value}
              onChange={(e) => set(index, { value: e.target.value })}
              data-testid={`${testId}-value`}
            />
            <label
              className="header-row__secret"
              title={forced ? t("providers.headerSecretForced") : t("providers.headerSecretHint")}
            >
              <input
                type="checkbox"
                checked={secret}
                disabled={forced}
                onChange={(e) => set(index, { secret: e.target.checked })}
                data-testid={`${testId}-secret`}
              />
              {t("providers.headerSecret")}
            </label>
            <RemoveRowButton
              label={removeLabel}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </div>
        );
      })}
      <AddRowButton
        onClick={() => onChange([...rows, { key: "", value: "", secret: false }])}
        testId={`${testId}-add`}
      >
        {addLabel}
      </AddRowButton>
      {error}
    </fieldset>
  );
}
