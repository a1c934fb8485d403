import { useCallback, useEffect, useRef, useState } from "react";

/** How long "copied" shows after a copy. */
const SHOWN_MS = 1500;

/**
 * Copies text to the clipboard and reports `copied` for a moment. The timer is cleared when
 * the component goes away, so nothing updates after unmount.
 */
export function useCopied(): [copied: boolean, copy: (text: string) => void] {
  const [copied, setCopied] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = useCallback((text: string) => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setCopied(false), SHOWN_MS);
    });
  }, []);
  return [copied, copy];
}
