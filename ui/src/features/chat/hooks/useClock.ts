import { useEffect, useState } from "react";

/**
 * The time now (unix ms), updated every second while mounted. Components that show a
 * counter remount (via `key`) when the moment they count from changes, so the first
 * value is always fresh.
 */
export function useClock(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
