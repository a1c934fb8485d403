import type { TFunction } from "i18next";
import { formatNumber } from "../../../i18n/format";

/** "850 ms" under a second, "12.3 s" above. */
export function formatDuration(t: TFunction, ms: number, language: string): string {
  return ms < 1000
    ? t("chat.durationMs", { value: formatNumber(ms, language) })
    : t("chat.durationS", { value: formatNumber(Math.round(ms / 100) / 10, language) });
}
