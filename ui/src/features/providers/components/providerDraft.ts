import type { Provider, ProviderInput, ProviderPreset } from "../../../ipc";

/**
 * One extra header as the form edits it. A secret header's value is never sent back by the
 * core: `storedName` and `storedLast4` say one is stored, and an empty `value` keeps it.
 */
export interface HeaderDraft {
  key: string;
  value: string;
  secret: boolean;
  storedName?: string;
  storedLast4?: string | null;
}

/** The form's copy of a provider; headers as rows so an empty row can be edited. */
export interface ProviderDraft {
  name: string;
  baseUrl: string;
  defaultModel: string;
  headers: HeaderDraft[];
}

export type DraftField = "name" | "baseUrl" | "defaultModel" | "headers";

/** Parts of a header name that mean a credential; the core keeps the same list. */
const CREDENTIAL_WORDS = [
  "auth",
  "key",
  "token",
  "secret",
  "password",
  "passwd",
  "cookie",
  "signature",
  "credential",
  "session",
];

/** Whether a header named `name` is always kept secret (in the keychain). */
export function looksSecret(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_WORDS.some((word) => lower.includes(word));
}

export function isSecret(header: HeaderDraft): boolean {
  return header.secret || looksSecret(header.key);
}

/** Whether the row still names its stored secret value (so an empty value keeps it). */
export function keepsStored(header: HeaderDraft): boolean {
  return (
    header.storedName !== undefined &&
    header.storedName.toLowerCase() === header.key.trim().toLowerCase() &&
    isSecret(header)
  );
}

export function draftFrom(provider: Provider | null, preset?: ProviderPreset): ProviderDraft {
  if (provider) {
    const plain = Object.entries(provider.extraHeaders).map(([key, value]) => ({
      key,
      value,
      secret: false,
    }));
    const secret = Object.entries(provider.secretHeaders).map(([key, status]) => ({
      key,
      value: "",
      secret: true,
      storedName: status.set ? key : undefined,
      storedLast4: status.last4,
    }));
    return {
      name: provider.name,
      baseUrl: provider.baseUrl,
      defaultModel: provider.defaultModel,
      headers: [...plain, ...secret],
    };
  }
  return {
    name: preset?.name ?? "",
    baseUrl: preset?.baseUrl ?? "",
    defaultModel: preset?.defaultModel ?? "",
    headers: [],
  };
}

/** Checks what can be checked here; the core checks again and has the last word. */
export function validateDraft(draft: ProviderDraft): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {};
  if (draft.name.trim() === "") errors.name = "providers.errorName";
  const url = draft.baseUrl.trim();
  if (url === "") errors.baseUrl = "providers.errorBaseUrlEmpty";
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.baseUrl = "providers.errorBaseUrl";
  if (draft.defaultModel.trim() === "") errors.defaultModel = "providers.errorModel";
  const keys = draft.headers.map((h) => h.key.trim()).filter((k) => k !== "");
  if (draft.headers.some((h) => h.key.trim() === "" && h.value.trim() !== "")) {
    errors.headers = "providers.errorHeaderName";
  } else if (new Set(keys.map((k) => k.toLowerCase())).size !== keys.length) {
    errors.headers = "providers.errorHeaderDuplicate";
  } else if (
    draft.headers.some(
      (h) => h.key.trim() !== "" && isSecret(h) && h.value.trim() === "" && !keepsStored(h),
    )
  ) {
    errors.headers = "providers.errorHeaderSecretValue";
  }
  return errors;
}

export function inputFrom(draft: ProviderDraft): ProviderInput {
  const extraHeaders: Record<string, string> = {};
  const secretHeaders: Record<string, string | null> = {};
  for (const header of draft.headers) {
    const key = header.key.trim();
    if (key === "") continue;
    if (!isSecret(header)) extraHeaders[key] = header.value;
    // An empty value keeps the stored one: the form never had it to send back.
    else secretHeaders[key] = header.value.trim() === "" ? null : header.value;
  }
  return {
    name: draft.name.trim(),
    kind: "openai-compatible",
    baseUrl: draft.baseUrl.trim(),
    defaultModel: draft.defaultModel.trim(),
    extraHeaders,
    secretHeaders,
  };
}

/** The form field a core problem's path is about (`baseUrl`, `headers.X-Api-Key` → headers). */
export function fieldOfPath(path: string): DraftField | null {
  const [head] = path.split(".");
  if (head === "name" || head === "baseUrl" || head === "defaultModel" || head === "headers") {
    return head;
  }
  return null;
}
