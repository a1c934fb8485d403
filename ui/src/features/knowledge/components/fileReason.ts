import type { TFunction } from "i18next";

/**
 * Why a file has no text or failed, in the person's words. `code` is a rule of the document
 * readers (`scanned_document`…) or an error code of the provider (`provider_auth`…); one
 * from a newer core than this UI is shown as it is rather than hidden.
 */
export function fileReason(t: TFunction, code: string | null): string {
  if (code === null) return "";
  // Not a code (a message of the core): shown as it is; i18next would read a ":" in a key.
  if (!/^[a-z_]+$/.test(code)) return code;
  return t(`knowledge.reason.${code}`, {
    defaultValue: t(`errorShort.${code}`, { defaultValue: code }),
  });
}

/** The last part of a path, and the folder it is in. */
export function splitPath(path: string): { name: string; folder: string } {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return cut < 0
    ? { name: path, folder: "" }
    : { name: path.slice(cut + 1), folder: path.slice(0, cut) };
}
