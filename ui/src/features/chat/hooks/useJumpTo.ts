import { useEffect, useRef, useState } from "react";
import type { Message } from "../../../ipc";
import { useChatStore } from "../store/chatStore";
import { useJumpStore } from "../store/jumpStore";

/** How long a message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2000;

/**
 * Follows the jump store: when it names a message of `rows`, calls `scrollTo` with its row
 * index and returns its seq for `HIGHLIGHT_MS` (null otherwise).
 */
export function useJumpTo(
  rows: { kind: string; message?: Message }[],
  scrollTo: (index: number) => void,
): number | null {
  const target = useJumpStore((s) => s.target);
  const currentId = useChatStore((s) => s.currentId);
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const index =
    target && target.conversationId === currentId
      ? rows.findIndex((r) => r.message?.seq === target.seq)
      : -1;

  const handled = useRef(0);
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach((id) => clearTimeout(id)), []);

  useEffect(() => {
    if (!target || index < 0 || handled.current === target.nonce) return;
    handled.current = target.nonce;
    scrollTo(index);
    // A second scroll once the rows around it are measured puts it where it belongs.
    timers.current.push(
      window.setTimeout(() => {
        scrollTo(index);
        setHighlighted(target.seq);
      }, 50),
      window.setTimeout(() => setHighlighted(null), HIGHLIGHT_MS),
    );
  }, [target, index, scrollTo]);

  return highlighted;
}
