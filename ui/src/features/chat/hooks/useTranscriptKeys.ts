import { useEffect } from "react";

/** How much of a page one PageUp/PageDown scrolls: a little overlap keeps the reader's place. */
const PAGE_FRACTION = 0.9;

/**
 * PageUp / PageDown scroll the transcript while the composer has the focus (or nothing
 * has it, as while a reply streams and the composer is disabled), and Ctrl+Home / Ctrl+End
 * go to its start and end when the composer is empty — as in Slack or ChatGPT, where the
 * input keeps the focus and the keyboard still reaches the conversation.
 */
export function useTranscriptKeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.altKey || event.shiftKey) return;
      const input = composerTarget(event.target);
      if (input === undefined) return;
      const transcript = document.querySelector<HTMLElement>('[data-testid="transcript"]');
      if (!transcript) return;
      const mod = event.ctrlKey || event.metaKey;
      const page = transcript.clientHeight * PAGE_FRACTION;
      let top: number;
      if (!mod && event.key === "PageUp") top = transcript.scrollTop - page;
      else if (!mod && event.key === "PageDown") top = transcript.scrollTop + page;
      else if (mod && (input === null || input.value === "") && event.key === "Home") top = 0;
      else if (mod && (input === null || input.value === "") && event.key === "End") {
        top = transcript.scrollHeight;
      } else return;
      event.preventDefault();
      transcript.scrollTo({ top });
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}

/**
 * The composer's input when the key was pressed in it, null when nothing has the focus,
 * undefined when something else has it (a dialog, an editor, the transcript itself: its
 * own keys apply there).
 */
function composerTarget(target: EventTarget | null): HTMLTextAreaElement | null | undefined {
  if (target === document.body || target === document.documentElement || target === null) {
    return null;
  }
  if (target instanceof HTMLTextAreaElement && target.classList.contains("composer__input")) {
    return target;
  }
  return undefined;
}
