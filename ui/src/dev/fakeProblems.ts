/**
 * The fake core's `invalid_input`, shaped as the core sends it: each broken rule as a typed
 * problem at its path, and an English summary (the core's log line) as the message.
 */
import type { Problem, ProblemParams, Rule } from "../bindings";

/** Rejects a command the way the core does; `problems` only for `invalid_input`. */
export type Reject = (code: string, message: string, problems?: Problem[]) => Promise<never>;

export function problem(path: string, rule: Rule, params: ProblemParams = {}): Problem {
  return { path, rule, params };
}

/** An `invalid_input` rejection carrying `problems`. */
export function refuse(fail: Reject, ...problems: Problem[]): Promise<never> {
  const lines = problems.map((p) => (p.path === "" ? p.rule : `${p.path}: ${p.rule}`));
  return fail("invalid_input", lines.join("\n"), problems);
}
