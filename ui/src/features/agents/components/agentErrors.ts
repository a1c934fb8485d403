/**
 * Field errors of the agent editor, translated. The core reports every broken rule as
 * `path: message` lines (`params.temperature: must be between 0 and 2`,
 * `preset_messages[1].content: is empty`); each is placed beside its field (a list row for
 * paths with an index) and told in the person's language. A message this build does not
 * recognise is still placed, as a generic translated line with the core's words under it.
 */

/** Keys under `agentErrors` in the i18n files. */
export type AgentErrorKey =
  | "name"
  | "number"
  | "wholeNumber"
  | "slug"
  | "slugTaken"
  | "builtinSlug"
  | "noProvider"
  | "tooLong"
  | "tooMany"
  | "tooMuchText"
  | "range"
  | "atLeast"
  | "empty"
  | "role"
  | "invalid";

export interface FieldError {
  key: AgentErrorKey;
  values?: Record<string, string | number>;
  /** The core's own words, shown small when the key says too little (`invalid`). */
  detail?: string;
}

/** Field key (the core's path, with `[i]` for a list row) → its error. */
export type FieldErrors = Record<string, FieldError>;

const RULES: [RegExp, (m: RegExpExecArray) => FieldError][] = [
  [/is not a valid id/, () => ({ key: "slug" })],
  [/^"(.*)" already exists$/, (m) => ({ key: "slugTaken", values: { slug: m[1] ?? "" } })],
  [/built-in agent's id cannot be changed/, () => ({ key: "builtinSlug" })],
  [/^no provider\b/, () => ({ key: "noProvider" })],
  [/^at most (\d+) characters$/, (m) => ({ key: "tooLong", values: { max: Number(m[1]) } })],
  [
    /^at most (\d+) (?:items|messages)$/,
    (m) => ({ key: "tooMany", values: { max: Number(m[1]) } }),
  ],
  [/^at most 1 MiB of text in all$/, () => ({ key: "tooMuchText" })],
  [
    /^must be between (-?[\d.]+) and (-?[\d.]+)/,
    (m) => ({ key: "range", values: { min: Number(m[1]), max: Number(m[2]) } }),
  ],
  [/^must be at least (\d+)/, (m) => ({ key: "atLeast", values: { min: Number(m[1]) } })],
  [/^is empty$/, () => ({ key: "empty" })],
  [/^must be system, user or assistant$/, () => ({ key: "role" })],
];

/** The translated form of one core problem message (the part after `path: `). */
export function errorOfCoreMessage(message: string): FieldError {
  for (const [pattern, make] of RULES) {
    const match = pattern.exec(message);
    if (match) return make(match);
  }
  return { key: "invalid", detail: message };
}

const LISTS = ["preset_messages", "app_preset.greetings", "app_preset.suggested_questions"];

/**
 * The editor field a core line is about: `params.temperature: …` → `params.temperature`;
 * `preset_messages[2].content: …` → `preset_messages[2]`; `app_preset.greetings[0]: …` →
 * `app_preset.greetings[0]`; `preset_messages: …` → `preset_messages`.
 */
export function fieldOf(line: string): { field: string; message: string } | null {
  const match = /^\s*([A-Za-z_][\w.[\]]*)\s*:\s*(.*)$/s.exec(line);
  if (!match?.[1]) return null;
  const path = match[1];
  const message = match[2] ?? "";
  for (const list of LISTS) {
    const row = new RegExp(`^${list.replace(".", "\\.")}\\[(\\d+)\\]`).exec(path);
    if (row) return { field: `${list}[${row[1]}]`, message };
    if (path === list) return { field: list, message };
  }
  const [head, next] = path.replace(/\[\d+\]/g, "").split(".");
  if (head === "params" || head === "context_policy" || head === "app_preset") {
    return { field: next ? `${head}.${next}` : head, message };
  }
  return head ? { field: head, message } : null;
}

/** `app_preset.greetings[3]` → `app_preset.greetings`; other keys unchanged. */
export function baseField(field: string): string {
  return field.replace(/\[\d+\]$/, "");
}

/**
 * Splits a core `invalid_input` message into field errors and lines about no known field.
 * `rowOf` maps a row index of what was sent to the editor's row (blank rows are not sent).
 */
export function placeCoreErrors(
  message: string,
  known: ReadonlySet<string>,
  rowOf: (list: string, sentIndex: number) => number = (_, i) => i,
): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const line of message.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const placed = fieldOf(line);
    if (!placed || !known.has(baseField(placed.field))) {
      other.push(line);
      continue;
    }
    const row = /^(.*)\[(\d+)\]$/.exec(placed.field);
    const field = row ? `${row[1]}[${rowOf(row[1] ?? "", Number(row[2]))}]` : placed.field;
    // The first problem of a field is the one to fix first.
    fields[field] ??= errorOfCoreMessage(placed.message);
  }
  return { fields, other };
}

/** The editor's row of the `sentIndex`-th non-blank value (blank rows are dropped on save). */
export function rowOfSent(values: string[], sentIndex: number): number {
  let seen = -1;
  for (let i = 0; i < values.length; i++) {
    if ((values[i] ?? "").trim() !== "") seen++;
    if (seen === sentIndex) return i;
  }
  return sentIndex;
}
