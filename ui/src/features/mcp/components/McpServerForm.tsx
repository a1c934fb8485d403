import { useId } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextArea } from "../../../components/ui/TextArea";
import { FormField } from "../../../components/ui/FormField";
import { TextInput } from "../../../components/ui/TextInput";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { McpServer } from "../../../ipc";
import type { Problem } from "../../../ipc/problems";
import {
  fieldOfPath,
  inputFrom,
  lineOfArg,
  validateDraft,
  type McpDraft,
  type McpField,
} from "./mcpDraft";
import { SecretValueRows } from "../../providers/components/SecretValueRows";
import { useDraftForm } from "../../providers/components/useDraftForm";

/** Name, transport (a program or a URL), its settings, and the call time limit of a server. */
export function McpServerForm({
  server,
  initial,
  onSaved,
}: {
  /** Null for a server not created yet. */
  server: McpServer | null;
  initial: McpDraft;
  onSaved: (server: McpServer) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { draft, set, errors, coreError, saving, saved, save } = useDraftForm({
    initial,
    validate: validateDraft,
    fieldOfPath: fieldOfPath,
    send: (d) => {
      const input = inputFrom(d, server?.enabled ?? true);
      return server ? ipc.updateMcpServer(server.id, input) : ipc.createMcpServer(input);
    },
    onSaved,
  });

  /** The core's problem in words, with the row or line it is about. */
  const problemWords = (problem: Problem) => {
    const [head, ...rest] = problem.path.split(".");
    const sub = rest.join(".");
    if (head === "name" && problem.rule === "taken") {
      return t("mcp.nameTaken", { value: problem.params.value ?? draft.name });
    }
    if (head === "args" && sub !== "") {
      const line = lineOfArg(draft.args, Number(sub)) + 1;
      return `${t("mcp.argLine", { line })}: ${problemText(t, problem)}`;
    }
    return `${sub ? `${sub}: ` : ""}${problemText(t, problem)}`;
  };
  const message = (field: McpField) => {
    const value = errors[field];
    if (!value) return null;
    return (
      <p className="field-error" id={`${id}-${field}-error`} data-testid={`mcp-error-${field}`}>
        {typeof value === "string" ? t(`mcp.${value}`) : problemWords(value)}
      </p>
    );
  };
  const invalid = (field: McpField) =>
    errors[field]
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};
  const field = (key: McpField, label: string, control: ReactNode, hint?: string) => (
    <FormField htmlFor={`${id}-${key}`} label={label} hint={hint} error={message(key)}>
      {control}
    </FormField>
  );

  return (
    <form
      className="settings-form mcp-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {field(
        "name",
        t("mcp.name"),
        <TextInput
          id={`${id}-name`}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          data-testid="mcp-name"
          {...invalid("name")}
        />,
      )}
      <div className="form-field">
        <span className="field-label" id={`${id}-transport`}>
          {t("mcp.transport")}
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby={`${id}-transport`}>
          {(["stdio", "http"] as const).map((kind) => (
            <label key={kind} className="segmented__option">
              <input
                type="radio"
                name={`${id}-transport`}
                checked={draft.transport === kind}
                onChange={() => set({ transport: kind })}
                data-testid={`mcp-transport-${kind}`}
              />
              <span>{kind === "stdio" ? t("mcp.stdio") : t("mcp.http")}</span>
            </label>
          ))}
        </div>
      </div>
      {draft.transport === "stdio" ? (
        <>
          {field(
            "command",
            t("mcp.command"),
            <TextInput
              id={`${id}-command`}
              className="mono"
              value={draft.command}
              placeholder="npx"
              spellCheck={false}
              onChange={(e) => set({ command: e.target.value })}
              data-testid="mcp-command"
              {...invalid("command")}
            />,
          )}
          {field(
            "args",
            t("mcp.args"),
            <TextArea
              id={`${id}-args`}
              className="mono"
              rows={2}
              value={draft.args}
              placeholder={"-y\n@modelcontextprotocol/server-everything"}
              spellCheck={false}
              onChange={(e) => set({ args: e.target.value })}
              data-testid="mcp-args"
              {...invalid("args")}
            />,
            t("mcp.argsHint"),
          )}
          {field(
            "cwd",
            t("mcp.cwd"),
            <TextInput
              id={`${id}-cwd`}
              className="mono"
              value={draft.cwd}
              placeholder={t("mcp.cwdDefault")}
              spellCheck={false}
              onChange={(e) => set({ cwd: e.target.value })}
              data-testid="mcp-cwd"
              {...invalid("cwd")}
            />,
          )}
          <SecretValueRows
            legend={t("mcp.env")}
            empty={t("mcp.envNone")}
            nameLabel={t("mcp.envName")}
            addLabel={t("mcp.envAdd")}
            removeLabel={t("mcp.envRemove")}
            testId="mcp-env"
            rows={draft.env}
            onChange={(env) => set({ env })}
            error={message("env")}
          />
        </>
      ) : (
        <>
          {field(
            "url",
            t("mcp.url"),
            <TextInput
              id={`${id}-url`}
              className="mono"
              value={draft.url}
              placeholder="https://example.com/mcp"
              spellCheck={false}
              onChange={(e) => set({ url: e.target.value })}
              data-testid="mcp-url"
              {...invalid("url")}
            />,
          )}
          <SecretValueRows
            legend={t("mcp.headers")}
            empty={t("mcp.headersNone")}
            nameLabel={t("providers.headerName")}
            addLabel={t("providers.headerAdd")}
            removeLabel={t("providers.headerRemove")}
            testId="mcp-header"
            rows={draft.headers}
            onChange={(headers) => set({ headers })}
            error={message("headers")}
          />
        </>
      )}
      {field(
        "callTimeoutSecs",
        t("mcp.timeout"),
        <TextInput
          id={`${id}-callTimeoutSecs`}
          className="mcp-form__timeout"
          inputMode="numeric"
          value={draft.callTimeoutSecs}
          onChange={(e) => set({ callTimeoutSecs: e.target.value })}
          data-testid="mcp-timeout"
          {...invalid("callTimeoutSecs")}
        />,
        t("mcp.timeoutHint"),
      )}
      {coreError ? (
        <Notice title={errorText(t, coreError)} details={errorDetails(coreError) ?? undefined} />
      ) : null}
      <div className="settings-form__actions">
        {saved ? (
          <p className="field-success" role="status">
            {t("mcp.saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={saving} data-testid="mcp-save">
          {saving ? t("settings.saving") : server ? t("settings.save") : t("mcp.create")}
        </Button>
      </div>
    </form>
  );
}
