import type { IpcError } from "../../../ipc";

export type TemplateErrorKey =
  | "templates.errorName"
  | "templates.errorEmpty"
  | "templates.errorTooLong"
  | "templates.errorInvalid";

/** A translated message for a field, and the core's own words when they came from it. */
export interface TemplateError {
  key: TemplateErrorKey;
  detail?: string;
}

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

/** The field a core `invalid_input` is about (`name: …`, `content: …`); null for others. */
export function placeTemplateError(error: IpcError): TemplateErrors | null {
  if (error.code !== "invalid_input") return null;
  const match = /^(name|content):\s*(.*)$/s.exec(error.message.trim());
  if (!match) return null;
  const [, field, detail] = match;
  if (field === "name") return { name: { key: "templates.errorName", detail } };
  const key = /MiB|at most/.test(detail ?? "")
    ? "templates.errorTooLong"
    : /empty/.test(detail ?? "")
      ? "templates.errorEmpty"
      : "templates.errorInvalid";
  return { content: { key, detail } };
}
