/**
 * Field errors of the agent editor. The core reports each broken rule as a typed problem
 * at its path in the input (`params.temperature`, `presetMessages.1.content`,
 * `appPreset.greetings.0`); each is placed beside its editor field (a list row for paths
 * with an index) and translated from its rule. Problems about no field of the editor are
 * listed apart.
 */
import type { Problem } from "../../../ipc/problems";

/** Keys under `agentErrors` in the i18n files: what the editor checks before sending. */
export type AgentErrorKey = "name" | "number" | "wholeNumber";

export type FieldError = { key: AgentErrorKey } | { problem: Problem };

/** Field key (`params.top_p`, with `[i]` for a list row) → its error. */
export type FieldErrors = Record<string, FieldError>;

/** The editor's key for a top-level input field, and for a field of `params`. */
const FIELD_KEYS: Record<string, string> = {
  agentId: "agent_id",
  providerId: "provider_id",
  model: "model",
  presetMessages: "preset_messages",
  appPreset: "app_preset",
  contextPolicy: "context_policy",
  params: "params",
  tools: "tools",
};
const PARAM_KEYS: Record<string, string> = {
  temperature: "temperature",
  topP: "top_p",
  maxTokens: "max_tokens",
  presencePenalty: "presence_penalty",
  frequencyPenalty: "frequency_penalty",
};
const LIST_KEYS: Record<string, string> = {
  greetings: "greetings",
  suggestedQuestions: "suggested_questions",
};

const isIndex = (segment: string | undefined): segment is string =>
  segment !== undefined && segment !== "" && [...segment].every((c) => c >= "0" && c <= "9");

/**
 * The editor field a core path is about, as `[list, sentIndex]` for a row of a list:
 * `params.topP` → `params.top_p`; `presetMessages.2.content` → row 2 of `preset_messages`;
 * `appPreset.greetings.0` → row 0 of `app_preset.greetings`; `presetMessages` →
 * `preset_messages`; `tools.disabled.3` → `tools`. Null for a path the editor has no field for.
 */
export function editorFieldOf(path: string): { field: string; row?: number } | null {
  const [head = "", second, third] = path.split(".");
  const top = FIELD_KEYS[head];
  if (top === undefined) return null;
  if (head === "presetMessages") {
    return isIndex(second) ? { field: top, row: Number(second) } : { field: top };
  }
  if (head === "params") {
    const param = second === undefined ? undefined : PARAM_KEYS[second];
    return param ? { field: `params.${param}` } : null;
  }
  if (head === "appPreset") {
    if (second === undefined) return null;
    const list = LIST_KEYS[second];
    if (list === undefined) return { field: `app_preset.${second}` };
    const field = `app_preset.${list}`;
    return isIndex(third) ? { field, row: Number(third) } : { field };
  }
  // The tools section is one field: its lists are edited by checkboxes, not rows.
  if (head === "tools") return { field: top };
  if (head === "contextPolicy") return second ? { field: `context_policy.${second}` } : null;
  return second === undefined ? { field: top } : null;
}

/** `app_preset.greetings[3]` → `app_preset.greetings`; other keys unchanged. */
export function baseField(field: string): string {
  const open = field.lastIndexOf("[");
  return open > 0 && field.endsWith("]") ? field.slice(0, open) : field;
}

/**
 * Splits a core `invalid_input`'s problems into field errors and problems about no known
 * field. `rowOf` maps a row index of what was sent to the editor's row (blank rows are not
 * sent).
 */
export function placeCoreErrors(
  problems: readonly Problem[],
  known: ReadonlySet<string>,
  rowOf: (list: string, sentIndex: number) => number = (_, i) => i,
): { fields: FieldErrors; other: Problem[] } {
  const fields: FieldErrors = {};
  const other: Problem[] = [];
  for (const problem of problems) {
    const placed = editorFieldOf(problem.path);
    if (!placed || !known.has(placed.field)) {
      other.push(problem);
      continue;
    }
    const field =
      placed.row === undefined
        ? placed.field
        : `${placed.field}[${rowOf(placed.field, placed.row)}]`;
    // The first problem of a field is the one to fix first.
    fields[field] ??= { problem };
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
