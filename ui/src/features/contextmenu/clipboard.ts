/**
 * Puts `text` on the clipboard. The async Clipboard API first; where the webview has none
 * (an insecure origin, an older WebKit), the copy command on a hidden text field. Throws
 * when neither worked, so the caller can say so.
 */
export async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  document.body.append(field);
  try {
    field.select();
    // The fallback for webviews without the Clipboard API; deprecated, still implemented.
    if (!document.execCommand("copy")) throw new Error("the copy command was refused");
  } finally {
    field.remove();
  }
}
