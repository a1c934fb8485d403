import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClock } from "../hooks/useClock";
import { formatDuration } from "./duration";

/**
 * A reasoning model's thinking, apart from its answer: open while the model thinks and no
 * answer has come, closed once the answer starts (the person may open or close it at any
 * time). The text is shown as plain text: it is the model's, and never sent back to it.
 */
export function ThinkingBlock({
  text,
  live,
  since,
  durationMs,
}: {
  text: string;
  /** Still thinking: no answer text yet. */
  live: boolean;
  /** While live, when the thinking began (unix ms), for a running count. */
  since?: number | null;
  /** How long it thought, once known. */
  durationMs: number | null;
}) {
  const { t, i18n } = useTranslation();
  // null: follow the stream (open while live); a click makes it the person's choice.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const open = chosen ?? live;
  let label: ReactNode;
  if (live) {
    label = since != null ? <LiveLabel since={since} /> : t("chat.reasoningLive");
  } else if (durationMs != null) {
    label = t("chat.reasoningDone", { duration: formatDuration(t, durationMs, i18n.language) });
  } else {
    label = t("chat.reasoningDoneNoTime");
  }
  return (
    <div className={`thinking${live ? " thinking--live" : ""}`} data-testid="thinking">
      <button
        type="button"
        className="thinking__toggle"
        aria-expanded={open}
        title={open ? t("chat.reasoningHide") : t("chat.reasoningShow")}
        onClick={() => setChosen(!open)}
        data-testid="thinking-toggle"
      >
        <span className="thinking__caret" aria-hidden="true">
          {open ? "▾" : "▸"}
        </span>
        {label}
      </button>
      {open ? (
        <p className="thinking__text" data-testid="thinking-text">
          {text}
        </p>
      ) : null}
    </div>
  );
}

/** "Thinking… 4.2 s", counting. */
function LiveLabel({ since }: { since: number }) {
  const { t, i18n } = useTranslation();
  const now = useClock();
  const duration = formatDuration(t, Math.max(0, now - since), i18n.language);
  return <>{t("chat.reasoningLiveFor", { duration })}</>;
}
