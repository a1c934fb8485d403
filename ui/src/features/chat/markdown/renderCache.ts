/**
 * Rendered Markdown blocks, kept by their text: a reply that was streamed is rendered
 * again when the stored message replaces the stream, and rows of a long conversation
 * are rendered again each time they scroll back into view. Parsing is most of that work.
 * Bounded by the characters of the texts kept; the least recently used go first.
 */
import type { ReactElement } from "react";

const MAX_CHARS = 4_000_000;
/** A block larger than this is not kept: it would push out many ordinary ones. */
const MAX_ENTRY_CHARS = 500_000;

const entries = new Map<string, { element: ReactElement; size: number }>();
let total = 0;

export function recall(key: string): ReactElement | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  // Map order is insertion order: moving it to the end marks it recently used.
  entries.delete(key);
  entries.set(key, entry);
  return entry.element;
}

export function remember(key: string, element: ReactElement, size: number): void {
  if (size > MAX_ENTRY_CHARS || entries.has(key)) return;
  entries.set(key, { element, size });
  total += size;
  for (const [oldest, entry] of entries) {
    if (total <= MAX_CHARS) break;
    entries.delete(oldest);
    total -= entry.size;
  }
}
