/**
 * Date and number formatting in the interface language (times are unix ms).
 *
 * Times come from the database, and imports put outside data there: a timestamp can be
 * anything a 64-bit integer holds. `Date` only covers ±8.64e15 ms, and both
 * `toISOString` and `Intl.DateTimeFormat.format` throw a `RangeError` outside it — during a
 * render that takes the whole window down. So every date shown goes through `dateOf`, and
 * a time that cannot be shown reads as `NO_DATE`.
 */

/** Shown in place of a time that is outside what a date can represent. */
export const NO_DATE = "—";

/** The largest distance from the epoch a `Date` can represent, in ms. */
const MAX_DATE_MS = 8.64e15;

/** `ms` as a `Date`, or null when it is not a finite time a `Date` can hold. */
export function dateOf(ms: number): Date | null {
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** For a `<time dateTime>` attribute: the ISO form, or nothing for an unrepresentable time. */
export function isoTime(ms: number): string | undefined {
  return dateOf(ms)?.toISOString();
}

/** `format` of a valid `date`, or `NO_DATE` if the formatter refuses (a bad language tag). */
function formatDate(date: Date, language: string, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(language, options).format(date);
  } catch {
    return NO_DATE;
  }
}

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}

/** Compact time for a list row: the clock today, the date otherwise. */
export function formatListTime(ms: number, language: string, now: Date = new Date()): string {
  const date = dateOf(ms);
  if (!date) return NO_DATE;
  if (sameDay(date, now)) return formatDate(date, language, { hour: "numeric", minute: "2-digit" });
  if (date.getFullYear() === now.getFullYear()) {
    return formatDate(date, language, { month: "short", day: "numeric" });
  }
  return formatDate(date, language, { year: "numeric", month: "short", day: "numeric" });
}

/** Full date and time, for a message's tooltip and meta line. */
export function formatMessageTime(ms: number, language: string): string {
  const date = dateOf(ms);
  return date ? formatDate(date, language, { dateStyle: "medium", timeStyle: "short" }) : NO_DATE;
}

/** A calendar day (`YYYY-MM-DD`, from the core's statistics) as a short month and day. */
export function formatShortDay(day: string, language: string): string {
  const [y, m, d] = day.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return day;
  const date = new Date(y, m - 1, d);
  return Number.isNaN(date.getTime())
    ? day
    : formatDate(date, language, { month: "numeric", day: "numeric" });
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** A file size in the largest unit that keeps the number at or above 1 (KB, MB, GB). */
export function formatBytes(bytes: number, language: string): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit: units[unit],
    unitDisplay: units[unit] === "byte" ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/**
 * An amount of money in its currency (`$0.0123`, `¥0.45`). Small amounts keep four decimals
 * so a single reply's cost does not read as zero. An odd currency code (typed by hand) is
 * shown as it is after the figure rather than throwing.
 */
export function formatMoney(amount: number, currency: string, language: string): string {
  const digits = Math.abs(amount) < 1 ? 4 : 2;
  try {
    return new Intl.NumberFormat(language, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** A price per million tokens, with up to six decimals (`0.075`, `0.0275`). */
export function formatPrice(value: number, language: string): string {
  try {
    return new Intl.NumberFormat(language, { maximumFractionDigits: 6 }).format(value);
  } catch {
    return String(value);
  }
}
