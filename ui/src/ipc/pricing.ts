/** Prices per provider and model: what each reply cost is computed from. */
import { commands } from "../bindings";
import type { ModelPrice, Price } from "../bindings";
import { call } from "./call";

export type { ModelPrice, Price } from "../bindings";

/** Every model with a price at the provider: the shipped ones and the person's own. */
export function listModelPrices(providerId: string): Promise<ModelPrice[]> {
  return call(() => commands.listModelPrices(providerId));
}

/** Sets the person's price of a model; the provider's prices after it. */
export function setModelPrice(
  providerId: string,
  model: string,
  price: Price,
): Promise<ModelPrice[]> {
  return call(() => commands.setModelPrice(providerId, model, price));
}

/** Removes the person's price (the shipped one applies again); the provider's prices after. */
export function removeModelPrice(providerId: string, model: string): Promise<ModelPrice[]> {
  return call(() => commands.removeModelPrice(providerId, model));
}
