/**
 * What a right-click landed on, read from the page: the selected text, the link and the code
 * block under the pointer. Pure, so the menu's enabled items can be tested without a window.
 */

export interface MenuTarget {
  /** The selected text, or "" when nothing is selected. */
  selection: string;
  /** The `href` of the link under the pointer. */
  link: string | null;
  /** Whether that link may go to the system browser (the core checks again). */
  openable: boolean;
  /** The text of the code block under the pointer. */
  code: string | null;
}

const OPENABLE = /^(https?|mailto):/i;

/** Input types that hold text the person types: these keep the webview's own menu. */
const TEXT_INPUTS = new Set(["", "text", "search", "url", "email", "tel", "password", "number"]);

/**
 * Text fields keep the webview's own menu: it offers Cut, Paste, Undo and spelling, which
 * work there, and has no link or download items.
 */
export function isEditable(node: Element | null): boolean {
  const field = node?.closest("input, textarea, [contenteditable]");
  if (!field) return false;
  if (field instanceof HTMLInputElement) return TEXT_INPUTS.has(field.type.toLowerCase());
  if (field instanceof HTMLTextAreaElement) return true;
  return field.getAttribute("contenteditable") !== "false";
}

/** The element an event target stands for (a text node's parent). */
export function elementOf(target: EventTarget | null): Element | null {
  if (target instanceof Element) return target;
  return target instanceof Node ? target.parentElement : null;
}

export function menuTargetAt(node: Element | null, selection: string): MenuTarget {
  const link = node?.closest("a[href]")?.getAttribute("href")?.trim() || null;
  const code = node?.closest("pre")?.textContent ?? null;
  return {
    selection,
    link,
    openable: link !== null && OPENABLE.test(link),
    // A code block's text ends with the newline of its last line; a copy should not.
    code: code === null ? null : code.replace(/\n$/, ""),
  };
}
