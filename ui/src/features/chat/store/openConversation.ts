/**
 * Which conversation is open, kept for the tab's life only: a reload reopens it, a new
 * window starts empty.
 */
const OPEN_KEY = "confab.openConversation";

export function readOpenConversation(): string | null {
  try {
    return window.sessionStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

export function rememberOpenConversation(id: string | null): void {
  try {
    if (id === null) window.sessionStorage.removeItem(OPEN_KEY);
    else window.sessionStorage.setItem(OPEN_KEY, id);
  } catch {
    // Without storage a reload simply starts with nothing open.
  }
}
