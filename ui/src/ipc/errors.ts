import type { AppError, ErrorCode, Problem } from "../bindings";

/** Every code the core can send. The check below fails to compile when the bindings gain one. */
export const ERROR_CODES = [
  "not_found",
  "invalid_input",
  "busy",
  "database",
  "provider",
  "rate_limited",
  "model_not_found",
  "provider_auth",
  "network",
  "no_api_key",
  "stalled",
  "keychain",
  "internal",
  "storage_full",
  "read_only",
  "db_locked",
  "corrupt",
  "migration_failed",
  "in_use",
  "no_provider",
  "constraint",
  "mcp_server",
  "update_network",
  "no_update",
  "update_signature",
  "update_not_installable",
  "update_disk",
  "update_install_failed",
] as const satisfies readonly ErrorCode[];

type MissingCode = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const _everyCodeListed: [MissingCode] extends [never] ? true : MissingCode = true;
void _everyCodeListed;

/**
 * Codes the UI can show. `unavailable` is ours, not the core's: the page runs without the
 * desktop shell (a plain browser), so there is nothing to call.
 */
export type IpcErrorCode = ErrorCode | "unavailable";

export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly code: IpcErrorCode;
  /** For `invalid_input`: each broken rule at its field (`path`), to translate and place. */
  readonly problems: readonly Problem[];

  constructor(code: IpcErrorCode, message: string, problems: readonly Problem[] = []) {
    super(message);
    this.code = code;
    this.problems = problems;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

function isAppErrorShape(
  value: unknown,
): value is { code: unknown; message: unknown; problems?: unknown } {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const { path, rule, params } = value as Record<string, unknown>;
  return (
    typeof path === "string" &&
    typeof rule === "string" &&
    typeof params === "object" &&
    params !== null
  );
}

/** Maps the core's `AppError` to an `IpcError`; a code this build does not know becomes `internal`. */
export function fromAppError(error: AppError): IpcError {
  const message = typeof error.message === "string" ? error.message : "";
  // Only well-formed problems are kept: a malformed one cannot be placed or translated.
  const problems = Array.isArray(error.problems) ? error.problems.filter(isProblem) : [];
  return new IpcError(isErrorCode(error.code) ? error.code : "internal", message, problems);
}

/** Turns anything a command can reject with into an `IpcError`. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  if (isAppErrorShape(error)) {
    return fromAppError({
      code: error.code as ErrorCode,
      message: typeof error.message === "string" ? error.message : "",
      problems: Array.isArray(error.problems) ? (error.problems as Problem[]) : [],
    });
  }
  if (error instanceof Error) return new IpcError("internal", error.message);
  // Tauri rejects with a bare string for failures outside the command (unknown command,
  // bad arguments, denied by capabilities).
  return new IpcError("internal", typeof error === "string" ? error : "Unknown error");
}
