import type { TFunction } from "i18next";
import type { IpcError, IpcErrorCode } from "../ipc";
import { problemLine } from "./problemText";
import { i18n } from ".";

/** What to tell the person about an error: a translated line saying what to do. */
export function errorText(t: TFunction, error: IpcError): string {
  return t(`errors.${error.code}`);
}

/** A few words naming the error, for a status line (e.g. "Rate limited"). */
export function errorShortText(t: TFunction, code: IpcErrorCode): string {
  return t(`errorShort.${code}`);
}

/**
 * The core's own message, shown small under the translated one: useful in a bug report,
 * and sometimes the only clue (a provider's reason). Hidden when it adds nothing. For
 * `invalid_input`, its problems, translated.
 */
export function errorDetails(error: IpcError): string | null {
  // Problems are told in the person's language, each with where it is; the core's English
  // summary of them would only repeat them.
  if (error.problems.length > 0)
    return error.problems.map((p) => problemLine(i18n.t, p)).join("\n");
  const message = error.message.trim();
  return message === "" || error.code === "unavailable" ? null : message;
}
