/**
 * The fake core's prices (see `fakeCore.ts`): a few shipped ones for the OpenAI provider,
 * none for the local one, and the person's own on top, checked the way the core checks them.
 */
import type { ModelPrice, Price } from "../ipc";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const usd = (input: number, cachedInput: number, output: number): Price => ({
  input,
  cachedInput,
  output,
  currency: "USD",
});

/** What the core ships, by provider of the fake catalog. */
const SHIPPED: Record<string, Record<string, Price>> = {
  "prov-1": {
    "gpt-4o": usd(2.5, 1.25, 10),
    "gpt-4o-mini": usd(0.15, 0.075, 0.6),
    "gpt-4.1": usd(2, 0.5, 8),
  },
};

const MAX_PRICE = 1_000_000;

function problemsOf(model: string, price: Price) {
  const found = [];
  if (model.trim() === "") found.push(problem("model", "required"));
  const figures = [
    ["input", price.input],
    ["cachedInput", price.cachedInput],
    ["output", price.output],
  ] as const;
  for (const [path, value] of figures) {
    if (path === "cachedInput" && value === null) continue;
    if (value === null || !(value >= 0 && value <= MAX_PRICE)) {
      found.push(problem(path, "out_of_range", { min: 0, max: MAX_PRICE }));
    }
  }
  const currency = price.currency.trim();
  if (currency === "") found.push(problem("currency", "required"));
  else if (!/^[A-Za-z]{3}$/.test(currency)) found.push(problem("currency", "currency_code"));
  return found;
}

export function createPrices() {
  const own = new Map<string, Map<string, Price>>();

  const list = (providerId: string): ModelPrice[] => {
    const shipped = SHIPPED[providerId] ?? {};
    const mine = own.get(providerId) ?? new Map<string, Price>();
    const models = [...new Set([...Object.keys(shipped), ...mine.keys()])].sort();
    return models.map((model) => {
      const custom = mine.get(model);
      const fromShipped = shipped[model] ?? null;
      return {
        model,
        price: custom ?? (fromShipped as Price),
        custom: custom !== undefined,
        shipped: fromShipped,
      };
    });
  };

  return {
    listModelPrices: (providerId) => list(providerId),
    setModelPrice: (providerId, model, price) => {
      const found = problemsOf(model, price);
      if (found.length > 0) return refuse(fail, ...found);
      const mine = own.get(providerId) ?? new Map<string, Price>();
      mine.set(model.trim(), { ...price, currency: price.currency.trim().toUpperCase() });
      own.set(providerId, mine);
      return list(providerId);
    },
    removeModelPrice: (providerId, model) => {
      own.get(providerId)?.delete(model.trim());
      return list(providerId);
    },
  } satisfies Partial<CoreHandlers>;
}
