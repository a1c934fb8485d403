/**
 * The colour theme. `light` and `dark` set `data-theme` on <html>, which the design tokens
 * prefer over the OS setting; `system` removes it, so `prefers-color-scheme` decides.
 */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = "confab.theme";

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

/** Applies `theme` now and remembers it for the next start (before the core has answered). */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    if (theme === "system") window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Without storage the core's setting is applied a moment after start instead.
  }
}

/** At start-up: the theme used last time, so the first paint is already right. */
export function applyStoredTheme(): void {
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Follow the OS until the core answers.
  }
  applyTheme(isTheme(stored) ? stored : "system");
}
