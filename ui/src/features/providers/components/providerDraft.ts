import type { Provider, ProviderInput, ProviderPreset } from "../../../ipc";

/** The form's copy of a provider; headers as rows so an empty row can be edited. */
export interface ProviderDraft {
  name: string;
  baseUrl: string;
  defaultModel: string;
  headers: { key: string; value: string }[];
}

export type DraftField = "name" | "baseUrl" | "defaultModel" | "headers";

export function draftFrom(provider: Provider | null, preset?: ProviderPreset): ProviderDraft {
  if (provider) {
    return {
      name: provider.name,
      baseUrl: provider.baseUrl,
      defaultModel: provider.defaultModel,
      headers: Object.entries(provider.extraHeaders).map(([key, value]) => ({ key, value })),
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
  }
  return errors;
}

export function inputFrom(draft: ProviderDraft): ProviderInput {
  const extraHeaders: Record<string, string> = {};
  for (const { key, value } of draft.headers) {
    if (key.trim() !== "") extraHeaders[key.trim()] = value;
  }
  return {
    name: draft.name.trim(),
    kind: "openai-compatible",
    baseUrl: draft.baseUrl.trim(),
    defaultModel: draft.defaultModel.trim(),
    extraHeaders,
  };
}

/** Which form field a core `invalid_input` message is about (`base_url: ...` → baseUrl). */
export function fieldOfCoreMessage(message: string): DraftField | null {
  const match = /^\s*([a-z_A-Z]+)\s*:/.exec(message);
  if (!match) return null;
  const name = (match[1] ?? "").toLowerCase().replace(/_/g, "");
  if (name === "name") return "name";
  if (name === "baseurl") return "baseUrl";
  if (name === "defaultmodel" || name === "model") return "defaultModel";
  if (name === "extraheaders" || name === "headers") return "headers";
  return null;
}
