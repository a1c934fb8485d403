/** Date and number formatting in the interface language (times are unix ms). */

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}

/** Compact time for a list row: the clock today, the date otherwise. */
export function formatListTime(ms: number, language: string, now: Date = new Date()): string {
  const date = new Date(ms);
  if (sameDay(date, now)) {
    return new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" }).format(date);
  }
  if (date.getFullYear() === now.getFullYear()) {
    return new Intl.DateTimeFormat(language, { month: "short", day: "numeric" }).format(date);
  }
  return new Intl.DateTimeFormat(language, {
    year: "numeric",
    month: "short",
    day: "numeric",
  }).format(date);
}

/** Full date and time, for a message's tooltip and meta line. */
export function formatMessageTime(ms: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(ms),
  );
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}
