import type { TFunction } from "i18next";
import type { Problem } from "../ipc/problems";
import { formatBytes } from "./format";
import { i18n } from ".";

/** A problem told in the person's language (without where it is). */
export function problemText(t: TFunction, problem: Problem): string {
  const { params } = problem;
  const size = params.max == null ? "" : formatBytes(params.max, i18n.language);
  // A rule from a newer core than this UI still reads as a refusal, not as a key.
  return t(`problems.${problem.rule}`, {
    ...params,
    size,
    defaultValue: t("errors.invalid_input"),
  });
}

/** A parser's own words about outside data (English), shown small under the translation. */
export function problemDetail(problem: Problem): string | null {
  return problem.params.detail ?? null;
}

/** One line for a list of problems about no form field: `agents.2.agentId: …`. */
export function problemLine(t: TFunction, problem: Problem): string {
  const text = problemText(t, problem);
  const detail = problemDetail(problem);
  const line = detail ? `${text} (${detail})` : text;
  return problem.path === "" ? line : `${problem.path}: ${line}`;
}
