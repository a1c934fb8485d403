import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import type { Spending, Stats, Usage } from "../../../ipc";
import { PERIODS, useAdmin } from "../store/adminStore";
import { CostByDay } from "./CostByDay";
import { DayChart } from "./DayChart";
import { moneyOf } from "./spending";

function Totals({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  const { totals } = stats;
  const cards = [
    ["conversations", totals.conversations],
    ["messages", totals.messages],
    ["promptTokens", totals.promptTokens],
    ["completionTokens", totals.completionTokens],
    ["errors", totals.errors],
  ] as const;
  const money = moneyOf(totals.cost, i18n.language);
  return (
    <>
      <dl className="admin-totals" data-testid="admin-totals">
        {cards.map(([key, value]) => (
          <div
            key={key}
            className={`admin-total${key === "errors" && value > 0 ? " admin-total--bad" : ""}`}
          >
            <dt>{t(`admin.total.${key}`)}</dt>
            <dd>
              {n(value)}
              {key === "completionTokens" && totals.reasoningTokens > 0 ? (
                <span className="admin-total__sub">
                  {t("admin.total.reasoning", { n: n(totals.reasoningTokens) })}
                </span>
              ) : null}
            </dd>
          </div>
        ))}
        {/* One line per currency: amounts in two currencies are never added. */}
        <div className="admin-total admin-total--cost">
          <dt>{t("admin.total.cost")}</dt>
          <dd>
            {money.length > 0
              ? money.map((text) => (
                  <span key={text} className="admin-total__line">
                    {text}
                  </span>
                ))
              : "—"}
          </dd>
        </div>
      </dl>
      {totals.cost.unpriced > 0 ? (
        <p className="admin-note" data-testid="admin-unpriced">
          {t("admin.unpricedAllTime", {
            count: totals.cost.unpriced,
            n: n(totals.cost.unpriced),
          })}
        </p>
      ) : null}
    </>
  );
}

/** A group's cost: a line per currency, and how many of its replies have no known cost. */
function CostCell({ cost }: { cost: Spending }) {
  const { t, i18n } = useTranslation();
  const money = moneyOf(cost, i18n.language);
  return (
    <td>
      {money.map((text) => (
        <span key={text} className="admin-table__line">
          {text}
        </span>
      ))}
      {cost.unpriced > 0 ? (
        <span className="admin-table__line admin-table__unpriced">
          {t("admin.unpricedShort", {
            count: cost.unpriced,
            n: formatNumber(cost.unpriced, i18n.language),
          })}
        </span>
      ) : money.length === 0 ? (
        "—"
      ) : null}
    </td>
  );
}

interface Row {
  key: string;
  name: string;
  usage: Usage;
  cost: Spending;
}

/** Messages, tokens, errors and cost per agent or model, with a bar for the share of messages. */
function Breakdown({ title, rows, testId }: { title: string; rows: Row[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  const max = Math.max(1, ...rows.map((row) => row.usage.messages));
  return (
    <section className="admin-breakdown" data-testid={testId}>
      <h3 className="admin-section__title">{title}</h3>
      {rows.length === 0 ? (
        <p className="admin-empty">{t("admin.noneInPeriod")}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.name")}</th>
              <th scope="col">{t("admin.total.messages")}</th>
              <th scope="col">{t("admin.tokens")}</th>
              <th scope="col">{t("admin.total.errors")}</th>
              <th scope="col">{t("admin.total.cost")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  <span className="admin-table__name">{row.name}</span>
                  <span className="admin-table__bar" aria-hidden="true">
                    <span style={{ width: `${(row.usage.messages / max) * 100}%` }} />
                  </span>
                </th>
                <td>{n(row.usage.messages)}</td>
                <td>{n(row.usage.promptTokens + row.usage.completionTokens)}</td>
                <td className={row.usage.errors > 0 ? "admin-table__bad" : undefined}>
                  {n(row.usage.errors)}
                </td>
                <CostCell cost={row.cost} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Totals of all time, then the chosen period per day, per agent and per model. */
export function UsageTab() {
  const { t, i18n } = useTranslation();
  const { days, stats, setDays, loadStats } = useAdmin();
  const n = (value: number) => formatNumber(value, i18n.language);

  useEffect(() => {
    void useAdmin.getState().loadStats();
  }, []);

  return (
    <div className="admin-usage">
      <div className="admin-period" role="radiogroup" aria-label={t("admin.period")}>
        {PERIODS.map((period) => (
          <label key={period} className="segmented__option">
            <input
              type="radio"
              name="admin-period"
              checked={days === period}
              onChange={() => void setDays(period)}
            />
            <span>{t("admin.lastDays", { count: period })}</span>
          </label>
        ))}
      </div>
      {stats.status === "loading" ? (
        <div className="admin-loading">
          <Spinner label={t("admin.loading")} />
        </div>
      ) : stats.status === "error" ? (
        <Notice
          title={errorText(t, stats.error)}
          details={errorDetails(stats.error)}
          actions={
            <Button size="sm" onClick={() => void loadStats()}>
              {t("admin.retry")}
            </Button>
          }
          data-testid="admin-stats-error"
        />
      ) : (
        <>
          <h3 className="admin-section__title">{t("admin.allTime")}</h3>
          <Totals stats={stats.value} />
          <DayChart
            days={stats.value.perDay}
            label={t("admin.chartMessages")}
            series={{
              values: (day) => [day.usage.messages - day.usage.errors, day.usage.errors],
              classes: ["day-chart__bar", "day-chart__bar--bad"],
              describe: (day, date) =>
                t("admin.dayMessages", {
                  date,
                  messages: n(day.usage.messages),
                  errors: n(day.usage.errors),
                }),
            }}
          />
          <DayChart
            days={stats.value.perDay}
            label={t("admin.chartTokens")}
            series={{
              values: (day) => [day.usage.promptTokens, day.usage.completionTokens],
              classes: ["day-chart__bar day-chart__bar--soft", "day-chart__bar"],
              describe: (day, date) =>
                t("admin.dayTokens", {
                  date,
                  prompt: n(day.usage.promptTokens),
                  completion: n(day.usage.completionTokens),
                }),
            }}
          />
          <CostByDay days={stats.value.perDay} />
          <div className="admin-breakdowns">
            <Breakdown
              title={t("admin.perAgent")}
              testId="admin-per-agent"
              rows={stats.value.perAgent.map((a) => ({
                key: a.agentId ?? "none",
                name: a.name ?? t("admin.noAgent"),
                usage: a.usage,
                cost: a.cost,
              }))}
            />
            <Breakdown
              title={t("admin.perModel")}
              testId="admin-per-model"
              rows={stats.value.perModel.map((m) => ({
                key: m.model,
                name: m.model,
                usage: m.usage,
                cost: m.cost,
              }))}
            />
          </div>
        </>
      )}
    </div>
  );
}
