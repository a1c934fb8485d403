import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { ChevronLeftIcon, ChevronRightIcon } from "../../../components/ui/icons";
import { formatNumber } from "../../../i18n/format";
import type { Message } from "../../../ipc";
import { switchVersion } from "../store/branches";

/** `‹ 2 / 3 ›` under a message that has other versions: shows another, with its branch. */
export function VersionSwitcher({ message, busy }: { message: Message; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const { version, versions } = message;
  if (versions <= 1) return null;
  const lng = i18n.language;
  return (
    <span
      className="versions"
      role="group"
      aria-label={t("chat.versionOf", { index: version, count: versions })}
      data-testid="versions"
    >
      <IconButton
        size="sm"
        label={t("chat.versionPrevious")}
        icon={<ChevronLeftIcon />}
        disabled={busy || version <= 1}
        onClick={() => void switchVersion(message, -1)}
        data-testid="version-previous"
      />
      <span className="versions__count" data-testid="version-count">
        {formatNumber(version, lng)} / {formatNumber(versions, lng)}
      </span>
      <IconButton
        size="sm"
        label={t("chat.versionNext")}
        icon={<ChevronRightIcon />}
        disabled={busy || version >= versions}
        onClick={() => void switchVersion(message, 1)}
        data-testid="version-next"
      />
    </span>
  );
}
