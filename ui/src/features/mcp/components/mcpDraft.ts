import type { McpServer, McpServerInput, McpValueInput, McpValueView } from "../../../ipc";
import { isSecret, keepsStored, type HeaderDraft } from "../../providers/components/providerDraft";

/**
 * One environment variable or header as the form edits it; the same shape as a provider's
 * header: a stored secret comes back as its status only, and an empty value keeps it.
 */
export type ValueDraft = HeaderDraft;

/** The form's copy of a server: arguments one per line, numbers as typed. */
export interface McpDraft {
  name: string;
  transport: "stdio" | "http";
  command: string;
  args: string;
  cwd: string;
  env: ValueDraft[];
  url: string;
  headers: ValueDraft[];
  callTimeoutSecs: string;
}

export const MCP_FIELDS = [
  "name",
  "command",
  "args",
  "cwd",
  "env",
  "url",
  "headers",
  "callTimeoutSecs",
] as const;
export type McpField = (typeof MCP_FIELDS)[number];

/** Keys under `mcp` in the i18n files: what the form checks before sending. */
export type McpErrorKey =
  | "errorName"
  | "errorCommand"
  | "errorUrl"
  | "errorUrlScheme"
  | "errorTimeout"
  | "errorRowName"
  | "errorRowDuplicate"
  | "errorRowSecretValue";

export const DEFAULT_TIMEOUT_SECS = 60;
const MAX_TIMEOUT_SECS = 3600;

function rowsFrom(values: Record<string, McpValueView>): ValueDraft[] {
  return Object.entries(values).map(([key, view]) =>
    view.kind === "plain"
      ? { key, value: view.value, secret: false }
      : {
          key,
          value: "",
          secret: true,
          storedName: view.status.set ? key : undefined,
          storedLast4: view.status.last4,
        },
  );
}

export function draftFrom(server: McpServer | null): McpDraft {
  const draft: McpDraft = {
    name: server?.name ?? "",
    transport: "stdio",
    command: "",
    args: "",
    cwd: "",
    env: [],
    url: "",
    headers: [],
    callTimeoutSecs: String(server?.callTimeoutSecs ?? DEFAULT_TIMEOUT_SECS),
  };
  const transport = server?.transport;
  if (transport?.type === "stdio") {
    draft.command = transport.command;
    draft.args = transport.args.join("\n");
    draft.cwd = transport.cwd ?? "";
    draft.env = rowsFrom(transport.env);
  } else if (transport?.type === "http") {
    draft.transport = "http";
    draft.url = transport.url;
    draft.headers = rowsFrom(transport.headers);
  }
  return draft;
}

/** The arguments sent: one per line, blank lines left out. */
export function argsOf(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** The line (0-based) of the `sent`-th argument, for a problem at `args.<sent>`. */
export function lineOfArg(text: string, sent: number): number {
  let seen = -1;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? "").trim() !== "") seen++;
    if (seen === sent) return i;
  }
  return sent;
}

function rowsError(rows: ValueDraft[]): McpErrorKey | null {
  const names = rows.map((r) => r.key.trim()).filter((k) => k !== "");
  if (rows.some((r) => r.key.trim() === "" && r.value.trim() !== "")) return "errorRowName";
  if (new Set(names.map((k) => k.toLowerCase())).size !== names.length) {
    return "errorRowDuplicate";
  }
  const newSecretWithoutValue = rows.some(
    (r) => r.key.trim() !== "" && isSecret(r) && r.value.trim() === "" && !keepsStored(r),
  );
  return newSecretWithoutValue ? "errorRowSecretValue" : null;
}

/** What can be checked here; the core checks again and has the last word. */
export function validateDraft(draft: McpDraft): Partial<Record<McpField, McpErrorKey>> {
  const errors: Partial<Record<McpField, McpErrorKey>> = {};
  if (draft.name.trim() === "") errors.name = "errorName";
  const timeout = Number(draft.callTimeoutSecs.trim());
  if (
    draft.callTimeoutSecs.trim() !== "" &&
    (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECS)
  ) {
    errors.callTimeoutSecs = "errorTimeout";
  }
  if (draft.transport === "stdio") {
    if (draft.command.trim() === "") errors.command = "errorCommand";
    const env = rowsError(draft.env);
    if (env) errors.env = env;
  } else {
    const url = draft.url.trim();
    if (url === "") errors.url = "errorUrl";
    else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.url = "errorUrlScheme";
    const headers = rowsError(draft.headers);
    if (headers) errors.headers = headers;
  }
  return errors;
}

function valuesOf(rows: ValueDraft[]): Record<string, McpValueInput> {
  const out: Record<string, McpValueInput> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === "") continue;
    // An empty secret keeps the stored one: the form never had it to send back.
    out[key] = isSecret(row)
      ? { value: row.value.trim() === "" ? null : row.value, secret: true }
      : { value: row.value, secret: false };
  }
  return out;
}

/** `enabled` is the server's switch, not the form's: a save leaves it as it is. */
export function inputFrom(draft: McpDraft, enabled: boolean): McpServerInput {
  const timeout = draft.callTimeoutSecs.trim();
  return {
    name: draft.name.trim(),
    enabled,
    callTimeoutSecs: timeout === "" ? null : Number(timeout),
    transport:
      draft.transport === "stdio"
        ? {
            type: "stdio",
            command: draft.command.trim(),
            args: argsOf(draft.args),
            cwd: draft.cwd.trim() === "" ? null : draft.cwd.trim(),
            env: valuesOf(draft.env),
          }
        : { type: "http", url: draft.url.trim(), headers: valuesOf(draft.headers) },
  };
}

/** The form field a core problem's path is about (`env.API_KEY` → env, `args.2` → args). */
export function fieldOfPath(path: string): McpField | null {
  const [head = ""] = path.split(".");
  return (MCP_FIELDS as readonly string[]).includes(head) ? (head as McpField) : null;
}
