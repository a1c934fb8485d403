import { formatMoney } from "../../../i18n/format";
import type { Spending } from "../../../ipc";

/**
 * Several groups' costs as one: amounts in the same currency are added, amounts in different
 * currencies never are; the replies of unknown cost are counted.
 */
export function addSpending(groups: Spending[]): Spending {
  const sums = new Map<string, number>();
  let unpriced = 0;
  for (const group of groups) {
    unpriced += group.unpriced;
    for (const { currency, amount } of group.amounts) {
      if (amount !== null) sums.set(currency, (sums.get(currency) ?? 0) + amount);
    }
  }
  const amounts = [...sums]
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { amounts, unpriced };
}

/**
 * Each currency's amount, formatted (`$1.25`, `¥3.00`). (The core sends only finite
 * amounts; the type allows `null` because a float in JSON could be one.)
 */
export function moneyOf(spending: Spending, language: string): string[] {
  return spending.amounts.flatMap(({ amount, currency }) =>
    amount === null ? [] : [formatMoney(amount, currency, language)],
  );
}

/** The amount in `currency`, 0 when there is none. */
export function amountIn(spending: Spending, currency: string): number {
  return spending.amounts.find((cost) => cost.currency === currency)?.amount ?? 0;
}
