import { startTransition, useEffect, useRef, useState } from "react";

/** Below this length a reply is cheap to draw on every delta, and is. */
const THROTTLE_FROM_CHARS = 4_096;
const FRAME_MS = 16;

/**
 * The streaming text to draw: `text` itself while it is short, and at most once per
 * animation frame once it is long. Deltas can arrive faster than the screen refreshes
 * (a fast provider, several in one task); drawing each one would spend the frame on text
 * nobody sees. The latest text is always drawn by the next frame. The redraw is a
 * transition: React renders it in slices and yields to the browser between blocks, so
 * a delta that completes many blocks at once does not hold up a frame while they are
 * parsed (what is parsed is kept, see `renderCache`, so an interrupted render loses nothing).
 */
export function useFrameText(text: string): string {
  const [shown, setShown] = useState(text);
  const latest = useRef(text);
  const frame = useRef<number | null>(null);
  const lastDrawn = useRef(0);

  useEffect(() => {
    latest.current = text;
    if (text === shown || frame.current !== null) return;
    const now = performance.now();
    if (text.length < THROTTLE_FROM_CHARS || now - lastDrawn.current >= FRAME_MS) {
      lastDrawn.current = now;
      startTransition(() => setShown(text));
      return;
    }
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      lastDrawn.current = performance.now();
      startTransition(() => setShown(latest.current));
    });
  }, [text, shown]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  // Short texts are drawn as they come, without waiting for the effect.
  return text.length < THROTTLE_FROM_CHARS ? text : shown;
}
