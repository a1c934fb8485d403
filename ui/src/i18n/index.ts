import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  en: { translation: en },
  "zh-CN": { translation: zhCN },
} as const;

const STORAGE_KEY = "confab.language";

/** A language the person picked wins; otherwise follow the OS: any Chinese locale gets zh-CN. */
export function detectLanguage(
  stored: string | null,
  systemLanguage: string | undefined,
): Language {
  if (stored === "en" || stored === "zh-CN") return stored;
  return systemLanguage?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export async function initI18n(language?: Language): Promise<typeof i18n> {
  const lng = language ?? detectLanguage(readStoredLanguage(), navigator.language);
  document.documentElement.lang = lng;
  await i18n.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: "en",
    // React escapes text already.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}

/** A language the person picked, or `null` to follow the OS. */
export type LanguagePreference = Language | null;

/**
 * Switches the interface language now. The preference is also kept in local storage, so
 * the next start shows the right language before the core has answered.
 */
export async function applyLanguage(preference: LanguagePreference): Promise<void> {
  try {
    if (preference === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, preference);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this run only.
  }
  const language = detectLanguage(preference, navigator.language);
  document.documentElement.lang = language;
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

export { i18n };
