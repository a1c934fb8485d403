import { useTranslation } from "react-i18next";
import { formatNumber, formatShortDay } from "../../../i18n/format";
import type { DayUsage } from "../../../ipc";

const WIDTH = 640;
const HEIGHT = 140;
const AXIS = 18;

export interface Series {
  /** Which part of a day's usage, drawn bottom to top. */
  values: (day: DayUsage) => number[];
  /** CSS classes of the parts, in the same order. */
  classes: string[];
  /** What a bar says to a screen reader and in its tooltip. */
  describe: (day: DayUsage, date: string) => string;
}

/**
 * A bar per day, its parts stacked. Plain SVG: a few dozen rectangles need no chart library,
 * and each bar is a labelled list item, so the figures are there for a screen reader too.
 */
export function DayChart({
  days,
  series,
  label,
  format,
}: {
  days: DayUsage[];
  series: Series;
  label: string;
  /** How the tallest bar's figure is written (a count, unless given). */
  format?: (value: number) => string;
}) {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const figure = format ?? ((value: number) => formatNumber(value, language));
  const totals = days.map((day) => series.values(day).reduce((a, b) => a + b, 0));
  // The tallest bar fills the plot; a day's cost can be a fraction of a cent, so the scale
  // has no floor but zero (an empty chart scales to 1).
  const max = Math.max(0, ...totals) || 1;
  const slot = WIDTH / Math.max(1, days.length);
  const bar = Math.max(2, Math.min(28, slot * 0.7));
  const plot = HEIGHT - AXIS;
  // Label the first, the last and a few days between, never crowded.
  const every = Math.max(1, Math.ceil(days.length / 6));

  return (
    <figure className="day-chart">
      <figcaption className="day-chart__caption">
        <span>{label}</span>
        <span className="day-chart__max">{figure(max)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="list"
        aria-label={label}
        className="day-chart__svg"
      >
        <line className="day-chart__base" x1={0} x2={WIDTH} y1={plot + 0.5} y2={plot + 0.5} />
        {days.map((day, i) => {
          const date = formatShortDay(day.date, language);
          const x = i * slot + (slot - bar) / 2;
          let top = plot;
          const parts = series.values(day).map((value, part) => {
            const height = (value / max) * (plot - 4);
            top -= height;
            return value > 0 ? (
              <rect
                key={part}
                className={series.classes[part]}
                x={x}
                y={top}
                width={bar}
                height={height}
                rx={Math.min(3, bar / 3)}
              />
            ) : null;
          });
          const text = series.describe(day, date);
          return (
            <g key={day.date} role="listitem" aria-label={text}>
              <title>{text}</title>
              {/* The whole slot takes the pointer, so thin bars still show their tooltip. */}
              <rect className="day-chart__hit" x={i * slot} y={0} width={slot} height={plot} />
              {parts}
              {i % every === 0 || i === days.length - 1 ? (
                <text
                  className="day-chart__label"
                  x={i === 0 ? x : i === days.length - 1 ? x + bar : x + bar / 2}
                  y={HEIGHT - 4}
                  textAnchor={i === 0 ? "start" : i === days.length - 1 ? "end" : "middle"}
                  aria-hidden="true"
                >
                  {date}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
