import { create } from "zustand";
import { applyLanguage } from "../../../i18n";
import type { LanguagePreference } from "../../../i18n";
import * as ipc from "../../../ipc";
import type { IpcError, Settings } from "../../../ipc";
import { applyTheme, isTheme } from "../theme";
import type { Theme } from "../theme";

/** The core's settings with every field present and language and theme narrowed. */
export interface Preferences {
  language: LanguagePreference;
  theme: Theme;
  maxConcurrentStreams: number;
  requestsPerMinute: number;
  stallTimeoutSecs: number;
  /** A reply is stopped as partial past this many KiB of text. */
  maxReplyKib: number;
  /** How many times a cut reply is resumed by itself; 0: never. */
  autoResume: number;
  /** Rounds of tool calls one reply may make before it must answer. */
  maxToolSteps: number;
  autoTitle: boolean;
  debugCapture: boolean;
  logLevel: string;
  /** The provider of agents that name none; null: the built-in connection. */
  defaultProviderId: string | null;
  /** The largest file that may be attached, in MiB. */
  maxAttachmentMib: number;
  /** What one message's attachments may take together, in MiB. */
  maxMessageAttachmentsMib: number;
  /** Look for a new version of Confab at start. */
  checkUpdatesAtStart: boolean;
}

/** The core's defaults, for fields an older core does not send. */
export const DEFAULT_PREFERENCES: Preferences = {
  language: null,
  theme: "system",
  maxConcurrentStreams: 4,
  requestsPerMinute: 0,
  stallTimeoutSecs: 60,
  maxReplyKib: 1024,
  autoResume: 2,
  maxToolSteps: 10,
  autoTitle: true,
  debugCapture: false,
  logLevel: "info",
  defaultProviderId: null,
  maxAttachmentMib: 50,
  maxMessageAttachmentsMib: 100,
  checkUpdatesAtStart: false,
};

export function fromSettings(settings: Settings): Preferences {
  const d = DEFAULT_PREFERENCES;
  const { language, theme } = settings;
  return {
    language: language === "en" || language === "zh-CN" ? language : null,
    theme: isTheme(theme) ? theme : d.theme,
    maxConcurrentStreams: settings.maxConcurrentStreams ?? d.maxConcurrentStreams,
    requestsPerMinute: settings.requestsPerMinute ?? d.requestsPerMinute,
    stallTimeoutSecs: settings.stallTimeoutSecs ?? d.stallTimeoutSecs,
    maxReplyKib: settings.maxReplyKib ?? d.maxReplyKib,
    autoResume: settings.autoResume ?? d.autoResume,
    maxToolSteps: settings.maxToolSteps ?? d.maxToolSteps,
    autoTitle: settings.autoTitle ?? d.autoTitle,
    debugCapture: settings.debugCapture ?? d.debugCapture,
    logLevel: settings.logLevel ?? d.logLevel,
    defaultProviderId: settings.defaultProviderId ?? d.defaultProviderId,
    maxAttachmentMib: settings.maxAttachmentMib ?? d.maxAttachmentMib,
    maxMessageAttachmentsMib: settings.maxMessageAttachmentsMib ?? d.maxMessageAttachmentsMib,
    checkUpdatesAtStart: settings.checkUpdatesAtStart ?? d.checkUpdatesAtStart,
  };
}

/** Applies language and theme now (they are also remembered locally for the next start). */
export async function applyAppearance(preferences: Pick<Preferences, "language" | "theme">) {
  applyTheme(preferences.theme);
  await applyLanguage(preferences.language);
}

export interface PreferencesState {
  /** As the core last stored them; null until loaded. */
  value: Preferences | null;
  status: "idle" | "loading" | "ready" | "error";
  loadError: IpcError | null;
  /** Reads the settings and applies language and theme. */
  load: () => Promise<void>;
  /**
   * Stores `patch` on top of the stored settings and applies what came back. Throws
   * `IpcError` (an out-of-range field is `invalid_input`, its message naming the field).
   */
  save: (patch: Partial<Preferences>) => Promise<Preferences>;
}

export const usePreferences = create<PreferencesState>()((set, get) => ({
  value: null,
  status: "idle",
  loadError: null,

  load: async () => {
    set({ status: "loading", loadError: null });
    try {
      const value = fromSettings(await ipc.getSettings());
      set({ value, status: "ready" });
      await applyAppearance(value);
    } catch (error) {
      // What was applied from local storage at start-up stays.
      set({ status: "error", loadError: ipc.toIpcError(error) });
    }
  },

  save: async (patch) => {
    const current = get().value;
    if (!current) throw get().loadError ?? new ipc.IpcError("internal", "settings not loaded");
    const value = fromSettings(await ipc.setSettings({ ...current, ...patch }));
    set({ value, status: "ready", loadError: null });
    await applyAppearance(value);
    return value;
  },
}));
