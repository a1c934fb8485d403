import { useTranslation } from "react-i18next";
import { formatMoney, formatNumber } from "../../../i18n/format";
import type { DayUsage } from "../../../ipc";
import { DayChart } from "./DayChart";
import { addSpending, amountIn, moneyOf } from "./spending";

/**
 * What the period's replies cost per day: a chart per currency (amounts in two currencies
 * are never added, so never stacked), then the period's sums and how many replies have no
 * known cost.
 */
export function CostByDay({ days }: { days: DayUsage[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const period = addSpending(days.map((day) => day.cost));
  const sums = moneyOf(period, language);
  const count = period.unpriced;
  const unpriced =
    count > 0 ? t("admin.unpriced", { count, n: formatNumber(count, language) }) : null;
  return (
    <section className="admin-cost" data-testid="admin-cost-per-day">
      {period.amounts.map(({ currency }) => {
        const money = (value: number) => formatMoney(value, currency, language);
        return (
          <DayChart
            key={currency}
            days={days}
            label={t("admin.chartCost", { currency })}
            format={money}
            series={{
              values: (day) => [amountIn(day.cost, currency)],
              classes: ["day-chart__bar"],
              describe: (day, date) =>
                t("admin.dayCost", { date, amount: money(amountIn(day.cost, currency)) }),
            }}
          />
        );
      })}
      <p className="admin-cost__period">
        {sums.length > 0 ? t("admin.periodCost", { amounts: sums.join(" · ") }) : t("admin.noCost")}
        {unpriced ? <span className="admin-cost__unpriced"> · {unpriced}</span> : null}
      </p>
    </section>
  );
}
