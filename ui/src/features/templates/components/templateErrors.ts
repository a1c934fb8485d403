import type { IpcError } from "../../../ipc";
import { placeProblems, type Problem } from "../../../ipc/problems";

/** What the dialog checks before sending. */
export type TemplateErrorKey = "templates.errorName" | "templates.errorEmpty";

/** A translated message for a field: the dialog's own check, or the core's problem. */
export type TemplateError = { key: TemplateErrorKey } | { problem: Problem };

export type TemplateErrors = Partial<Record<"name" | "content", TemplateError>>;

const MAX_NAME_CHARS = 100;

/** What can be told before asking the core (its rules: 1–100 characters, content not blank). */
export function checkTemplate(form: { name: string; content: string }): TemplateErrors {
  const errors: TemplateErrors = {};
  const name = form.name.trim();
  if (name === "" || [...name].length > MAX_NAME_CHARS)
    errors.name = { key: "templates.errorName" };
  if (form.content.trim() === "") errors.content = { key: "templates.errorEmpty" };
  return errors;
}

/** The core's problems at their fields (`name`, `content`); null when one is about neither. */
export function placeTemplateError(error: IpcError): TemplateErrors | null {
  if (error.code !== "invalid_input") return null;
  const placed = placeProblems(error.problems, (path) =>
    path === "name" || path === "content" ? path : null,
  );
  if (placed.other.length > 0 || error.problems.length === 0) return null;
  const errors: TemplateErrors = {};
  if (placed.fields.name) errors.name = { problem: placed.fields.name };
  if (placed.fields.content) errors.content = { problem: placed.fields.content };
  return errors;
}
