/**
 * The fake core's settings and link opening (see `fakeCore.ts`), checked the way the core
 * checks them.
 */
import { DEFAULT_PREFERENCES } from "../features/settings/store/preferencesStore";
import type { Settings } from "../ipc";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

/** The numeric settings and the range the core allows each. */
const RANGES = [
  ["maxConcurrentStreams", 1, 32],
  ["requestsPerMinute", 0, 10_000],
  ["stallTimeoutSecs", 5, 600],
  ["maxReplyKib", 16, 65_536],
  ["autoResume", 0, 5],
  ["maxToolSteps", 1, 50],
  ["maxAttachmentMib", 1, 512],
  ["maxMessageAttachmentsMib", 1, 2048],
] as const;

export function createSettings(params: URLSearchParams) {
  const lang = params.get("lang");
  const theme = params.get("theme");
  let settings: Required<Settings> = {
    ...DEFAULT_PREFERENCES,
    language: lang === "en" || lang === "zh-CN" ? lang : null,
    theme: theme === "light" || theme === "dark" ? theme : "system",
    // `?provider=prov-2`: replies go to the local Ollama provider (a model without vision).
    defaultProviderId: params.get("provider") ?? "prov-1",
  };

  const handlers = {
    getSettings: () => settings,
    setSettings: (changed) => {
      const next = { ...settings, ...changed };
      const out = RANGES.filter(([key, min, max]) => next[key] < min || next[key] > max);
      if (out.length > 0) {
        return refuse(
          fail,
          ...out.map(([key, min, max]) => problem(key, "out_of_range", { min, max })),
        );
      }
      settings = next;
      return settings;
    },
    openUrl: (url) => {
      // Recorded instead of opened, for tests; the scheme check mirrors the core's.
      const trimmed = url.trim();
      if (!/^(https?|mailto):/i.test(trimmed)) return refuse(fail, problem("url", "link_scheme"));
      const w = window as { __openedUrls?: string[] };
      (w.__openedUrls ??= []).push(trimmed);
      return null;
    },
  } satisfies Partial<CoreHandlers>;

  return { handlers, defaultProviderId: () => settings.defaultProviderId };
}
