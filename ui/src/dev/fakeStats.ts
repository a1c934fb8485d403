/**
 * `get_stats` for the dev fake core: figures drawn from a fixed seed, so screenshots are the
 * same on every run, over the days the page asks for. `?nostats` answers as a new install.
 */
import type { DayUsage, Spending, Stats, Usage } from "../bindings";

const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const zero = (): Usage => ({ messages: 0, promptTokens: 0, completionTokens: 0, errors: 0 });

function add(into: Usage, from: Usage): void {
  into.messages += from.messages;
  into.promptTokens += from.promptTokens;
  into.completionTokens += from.completionTokens;
  into.errors += from.errors;
}

/**
 * What `usage` cost when `usShare` of it went to a model priced in dollars (gpt-4o-mini's list
 * price) and the rest to one priced in yuan (deepseek-chat's); failed replies have no cost.
 */
function spent(usage: Usage, usShare: number): Spending {
  const dollars = (usage.promptTokens * 0.15 + usage.completionTokens * 0.6) / 1e6;
  const yuan = (usage.promptTokens * 2 + usage.completionTokens * 8) / 1e6;
  const amounts = [
    { currency: "CNY", amount: yuan * (1 - usShare) },
    { currency: "USD", amount: dollars * usShare },
  ].filter((cost) => cost.amount > 0);
  return { amounts, unpriced: usage.errors };
}

/** `cost` times `part`, in each currency. */
function scaled(cost: Spending, part: number): Spending {
  const amounts = cost.amounts.map((c) => ({ ...c, amount: (c.amount ?? 0) * part }));
  return { amounts, unpriced: Math.round(cost.unpriced * part) };
}

/** Only the amount in `currency`. */
function only(cost: Spending, currency: string, part: number): Spending {
  const amounts = cost.amounts.filter((c) => c.currency === currency);
  return { amounts, unpriced: Math.round(cost.unpriced * part) };
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function fakeStats(days: number, chinese: boolean, empty: boolean): Stats {
  const next = random(7);
  // Its own generator, so the other figures stay what they were before costs were kept.
  const nextShare = random(11);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const since = today.getTime() - (days - 1) * DAY_MS;
  const perDay: DayUsage[] = Array.from({ length: days }, (_, i) => {
    const start = since + i * DAY_MS;
    const weekend = [0, 6].includes(new Date(start).getDay());
    const messages = empty ? 0 : Math.round((weekend ? 8 : 30) + next() * 40);
    const errors = empty ? 0 : next() < 0.2 ? 1 + Math.floor(next() * 3) : 0;
    const usage = {
      messages,
      promptTokens: messages * Math.round(300 + next() * 500),
      completionTokens: messages * Math.round(150 + next() * 350),
      errors,
    };
    return { date: isoDate(start), start, usage, cost: spent(usage, 0.5 + nextShare() * 0.4) };
  });
  const window = zero();
  for (const day of perDay) add(window, day.usage);
  const windowCost: Spending = { amounts: [], unpriced: window.errors };
  for (const currency of ["CNY", "USD"]) {
    const amount = perDay.reduce(
      (sum, day) => sum + (day.cost.amounts.find((c) => c.currency === currency)?.amount ?? 0),
      0,
    );
    windowCost.amounts.push({ currency, amount });
  }
  const share = (part: number): Usage => ({
    messages: Math.round(window.messages * part),
    promptTokens: Math.round(window.promptTokens * part),
    completionTokens: Math.round(window.completionTokens * part),
    errors: Math.round(window.errors * part),
  });
  const named = chinese
    ? (["助手", "翻译", "代码审查"] as const)
    : (["Assistant", "Translator", "Code reviewer"] as const);
  return {
    since,
    totals: empty
      ? { conversations: 0, ...zero(), reasoningTokens: 0, cost: { amounts: [], unpriced: 0 } }
      : {
          conversations: 412,
          messages: window.messages * 4,
          promptTokens: window.promptTokens * 4,
          completionTokens: window.completionTokens * 4,
          reasoningTokens: Math.round(window.completionTokens * 0.6),
          errors: window.errors * 4,
          // Older replies were written before costs were kept.
          cost: { ...scaled(windowCost, 4), unpriced: window.errors * 4 + 1_318 },
        },
    perDay,
    perAgent: empty
      ? []
      : [
          {
            agentId: "a-default",
            name: named[0],
            usage: share(0.62),
            cost: scaled(windowCost, 0.62),
          },
          {
            agentId: "a-translate",
            name: named[1],
            usage: share(0.25),
            cost: scaled(windowCost, 0.25),
          },
          {
            agentId: "a-review",
            name: named[2],
            usage: share(0.13),
            cost: scaled(windowCost, 0.13),
          },
        ],
    perModel: empty
      ? []
      : [
          { model: "gpt-4o-mini", usage: share(0.7), cost: only(windowCost, "USD", 0.7) },
          { model: "deepseek-chat", usage: share(0.3), cost: only(windowCost, "CNY", 0.3) },
        ],
    recentErrors: empty
      ? []
      : [
          {
            messageId: "err-1",
            conversationId: "missing",
            seq: 4,
            conversationTitle: chinese ? "周末去里斯本" : "Weekend trip to Lisbon",
            createdAt: Date.now() - 3_600_000,
            errorCode: "rate_limited",
            message: "HTTP 429: Rate limit reached for gpt-4o-mini, retry after 20 s",
          },
          {
            messageId: "err-2",
            conversationId: "missing",
            seq: 2,
            conversationTitle: chinese ? "季度报告摘要" : "Quarterly report summary",
            createdAt: Date.now() - 26 * 3_600_000,
            errorCode: "network",
            message: "error sending request: connection reset by peer",
          },
        ],
  };
}
