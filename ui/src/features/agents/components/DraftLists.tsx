import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { TextInput } from "../../../components/ui/TextInput";
import { ArrowDownIcon, ArrowUpIcon } from "../../../components/ui/icons";
import { AddRowButton, RemoveRowButton } from "../../../components/ui/ListRowButtons";
import type { PromptMessage, Role } from "../../../ipc";
import { moved } from "./agentDraft";

const ROLES: Role[] = ["system", "user", "assistant"];

/** What both list fields take: the rows, how to change them, and what is wrong. */
interface ListFieldProps<T> {
  onChange: (rows: T[]) => void;
  /** About the list as a whole. */
  error: ReactNode;
  /** About one row, shown under it. */
  rowError: (index: number) => ReactNode;
}

/** The agent's preset messages: add, reorder, change role and text, remove. */
export function PresetMessagesField({
  messages,
  onChange,
  error,
  rowError,
}: ListFieldProps<PromptMessage> & { messages: PromptMessage[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="form-field preset-messages" data-testid="agent-preset-messages">
      <legend className="settings-section__title">{t("agents.presetMessages")}</legend>
      <p className="field-hint">{t("agents.presetMessagesHint")}</p>
      {messages.map((message, index) => {
        const update = (patch: Partial<PromptMessage>) =>
          onChange(messages.map((m, i) => (i === index ? { ...m, ...patch } : m)));
        const problem = rowError(index);
        return (
          <div className="preset-message" key={index} data-testid="preset-message">
            <div className="preset-message__bar">
              <select
                className="select"
                aria-label={t("agents.role")}
                value={message.role}
                onChange={(e) => update({ role: e.target.value as Role })}
                data-testid="preset-message-role"
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`agents.roles.${role as "system"}`)}
                  </option>
                ))}
              </select>
              <span className="preset-message__tools">
                <IconButton
                  label={t("agents.moveUp")}
                  icon={<ArrowUpIcon />}
                  size="sm"
                  disabled={index === 0}
                  onClick={() => onChange(moved(messages, index, -1))}
                  data-testid="preset-message-up"
                />
                <IconButton
                  label={t("agents.moveDown")}
                  icon={<ArrowDownIcon />}
                  size="sm"
                  disabled={index === messages.length - 1}
                  onClick={() => onChange(moved(messages, index, 1))}
                  data-testid="preset-message-down"
                />
                <RemoveRowButton
                  label={t("agents.remove")}
                  onClick={() => onChange(messages.filter((_, i) => i !== index))}
                  testId="preset-message-remove"
                />
              </span>
            </div>
            <TextArea
              aria-label={t("agents.content")}
              value={message.content}
              rows={2}
              maxHeight={240}
              onChange={(e) => update({ content: e.target.value })}
              aria-invalid={problem ? true : undefined}
              data-testid="preset-message-content"
            />
            {problem}
          </div>
        );
      })}
      <AddRowButton
        onClick={() =>
          onChange([...messages, { role: messages.length === 0 ? "system" : "user", content: "" }])
        }
        testId="preset-message-add"
      >
        {t("agents.addMessage")}
      </AddRowButton>
      {error}
    </fieldset>
  );
}

/** A list of short texts (greetings, suggested questions): add, edit, remove. */
export function TextListField({
  testId,
  label,
  addLabel,
  multiline,
  values,
  onChange,
  error,
  rowError,
}: ListFieldProps<string> & {
  testId: string;
  label: string;
  addLabel: string;
  multiline: boolean;
  values: string[];
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="form-field list-rows" data-testid={testId}>
      <legend className="field-label">{label}</legend>
      {values.map((value, index) => {
        const change = (next: string) => onChange(values.map((v, i) => (i === index ? next : v)));
        const problem = rowError(index);
        const common = {
          "aria-label": `${label} ${index + 1}`,
          "aria-invalid": problem ? true : undefined,
          value,
        };
        return (
          <div className="list-row-field" key={index} data-testid={`${testId}-row`}>
            <div className="list-row">
              {multiline ? (
                <TextArea
                  {...common}
                  rows={2}
                  maxHeight={160}
                  onChange={(e) => change(e.target.value)}
                />
              ) : (
                <TextInput {...common} onChange={(e) => change(e.target.value)} />
              )}
              <RemoveRowButton
                label={t("agents.remove")}
                onClick={() => onChange(values.filter((_, i) => i !== index))}
              />
            </div>
            {problem}
          </div>
        );
      })}
      <AddRowButton onClick={() => onChange([...values, ""])} testId={`${testId}-add`}>
        {addLabel}
      </AddRowButton>
      {error}
    </fieldset>
  );
}
