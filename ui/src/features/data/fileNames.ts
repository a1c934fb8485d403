/** Suggested names for files the data panel saves. */

function today(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `confab-2025-03-01.md`, or the conversation's title made safe for any file system. */
export function exportFileName(
  extension: "md" | "json",
  title: string | null,
  now: Date = new Date(),
): string {
  const safe = (title ?? "")
    // Characters Windows, macOS or Linux refuse in a name, and control characters.
    .replace(/[<>:"/\\|?*]/g, " ")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80)
    .replace(/[. ]+$/, "");
  return `${safe === "" ? `confab-${today(now)}` : safe}.${extension}`;
}

export function backupFileName(now: Date = new Date()): string {
  return `confab-backup-${today(now)}.db`;
}

export function diagnosticsFileName(now: Date = new Date()): string {
  return `confab-diagnostics-${today(now)}.json`;
}

/** A size for people: 4.6 MB, 812 kB, 300 B. */
export function formatSize(bytes: number, language: string): string {
  if (bytes < 1000) return `${new Intl.NumberFormat(language).format(bytes)} B`;
  const units = ["kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: unit >= 1 ? 1 : 0,
  }).format(value);
}
