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

export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this run only.
  }
  document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return i18n.resolvedLanguage === "zh-CN" ? "zh-CN" : "en";
}

export { i18n };
