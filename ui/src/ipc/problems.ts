import type { Problem, Rule } from "../bindings";

export type { Problem, ProblemParams, Rule } from "../bindings";

/** Every rule the core can report. The check below fails to compile when the bindings gain one. */
export const RULES = [
  "required",
  "too_long",
  "too_large",
  "too_many",
  "out_of_range",
  "at_least",
  "not_a_choice",
  "invalid_slug",
  "taken",
  "duplicate",
  "no_such_provider",
  "builtin_id_fixed",
  "builtin_undeletable",
  "too_many_copies",
  "preset_role",
  "trial_role",
  "invalid_url",
  "url_scheme",
  "url_no_host",
  "plain_http",
  "header_not_allowed",
  "invalid_header_name",
  "invalid_header_value",
  "invalid_env_name",
  "invalid_api_key",
  "nothing_to_answer",
  "not_your_message",
  "nothing_to_continue",
  "invalid_json",
  "wrong_format",
  "unsupported_version",
  "malformed",
  "more_problems",
  "is_folder",
  "not_a_backup",
  "newer_version",
  "restore_called_off",
  "link_scheme",
  "control_characters",
  "link_not_opened",
  "not_a_local_file",
  "currency_code",
  "image_too_large",
  "unsupported_file",
  "not_utf8",
  "scanned_document",
  "encrypted_document",
  "damaged_file",
  "decompression_bomb",
  "took_too_long",
  "cancelled",
  "model_cannot_see_images",
  "embedding_model_no_images",
  "attachment_missing",
  "too_many_attachments",
] as const satisfies readonly Rule[];

type MissingRule = Exclude<Rule, (typeof RULES)[number]>;
const _everyRuleListed: [MissingRule] extends [never] ? true : MissingRule = true;
void _everyRuleListed;

/**
 * Sorts problems into the form's fields and the rest. `fieldOf` names the field a path
 * belongs to (or null when the form has none for it); the first problem of a field is the
 * one shown, as it is the first to fix.
 */
export function placeProblems<F extends string>(
  problems: readonly Problem[],
  fieldOf: (path: string) => F | null,
): { fields: Partial<Record<F, Problem>>; other: Problem[] } {
  const fields: Partial<Record<F, Problem>> = {};
  const other: Problem[] = [];
  for (const problem of problems) {
    const field = fieldOf(problem.path);
    if (field === null) other.push(problem);
    else fields[field] ??= problem;
  }
  return { fields, other };
}
