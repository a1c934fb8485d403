/**
 * The fake core's settings, the built-in connection's key and link opening (see
 * `fakeCore.ts`), checked the way the core checks them.
 */
import { DEFAULT_PREFERENCES } from "../features/settings/store/preferencesStore";
import type { Settings } from "../ipc";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

/** Why `next` would be refused, as the core words it; null when it is fine. */
function refusal(next: Required<Settings>): string | null {
  if (next.maxConcurrentStreams < 1 || next.maxConcurrentStreams > 32) {
    return "max concurrent streams must be between 1 and 32";
  }
  if (next.requestsPerMinute > 10_000) {
    return "requests per minute must be at most 10000 (0: no limit)";
  }
  if (next.stallTimeoutSecs < 5 || next.stallTimeoutSecs > 600) {
    return "the stall timeout must be between 5 and 600 seconds";
  }
  if (next.maxReplyKib < 16 || next.maxReplyKib > 65_536) {
    return "the reply size limit must be between 16 and 65536 KiB";
  }
  if (next.autoResume > 5) return "auto-resume must be between 0 and 5 attempts";
  return null;
}

export function createSettings(params: URLSearchParams, withKey: boolean) {
  let keyLast4: string | null = withKey ? "3f9a" : null;
  const lang = params.get("lang");
  const theme = params.get("theme");
  let settings: Required<Settings> = {
    ...DEFAULT_PREFERENCES,
    language: lang === "en" || lang === "zh-CN" ? lang : null,
    theme: theme === "light" || theme === "dark" ? theme : "system",
  };

  const handlers = {
    getSettings: () => settings,
    setSettings: (changed) => {
      const next = { ...settings, ...changed };
      const refused = refusal(next);
      if (refused) return fail("invalid_input", refused);
      settings = next;
      return settings;
    },
    getApiKeyStatus: () => ({ set: keyLast4 !== null, last4: keyLast4 }),
    setApiKey: (key) => {
      keyLast4 = key.slice(-4);
      return { set: true, last4: keyLast4 };
    },
    clearApiKey: () => {
      keyLast4 = null;
      return { set: false, last4: null };
    },
    getProviderInfo: () => ({ baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini" }),
    openUrl: (url) => {
      // Recorded instead of opened, for tests; the scheme check mirrors the core's.
      const trimmed = url.trim();
      if (!/^(https?|mailto):/i.test(trimmed)) {
        return fail("invalid_input", "only http, https and mailto links can be opened");
      }
      const w = window as { __openedUrls?: string[] };
      (w.__openedUrls ??= []).push(trimmed);
      return null;
    },
  } satisfies Partial<CoreHandlers>;

  return { handlers, hasKey: () => keyLast4 !== null };
}
