/** Providers: connections with their own keys and models. */
import { commands } from "../bindings";
import type {
  ConnectionReport,
  KeyStatus,
  ModelInfo,
  Provider,
  ProviderInput,
  ProviderPreset,
} from "../bindings";
import { call, callInfallible } from "./call";

export function listProviders(): Promise<Provider[]> {
  return call(() => commands.listProviders());
}

export function createProvider(input: ProviderInput): Promise<Provider> {
  return call(() => commands.createProvider(input));
}

export function updateProvider(id: string, input: ProviderInput): Promise<Provider> {
  return call(() => commands.updateProvider(id, input));
}

/** Rejects with `in_use` naming the agents while any of them use the provider. */
export async function deleteProvider(id: string): Promise<void> {
  await call(() => commands.deleteProvider(id));
}

/** Stores the key in the keychain; only its status (last four characters) comes back. */
export function setProviderApiKey(id: string, key: string): Promise<KeyStatus> {
  return call(() => commands.setProviderApiKey(id, key));
}

export function clearProviderApiKey(id: string): Promise<KeyStatus> {
  return call(() => commands.clearProviderApiKey(id));
}

export function getProviderKeyStatus(id: string): Promise<KeyStatus> {
  return call(() => commands.getProviderKeyStatus(id));
}

/** Lists the provider's models with its stored key; the error says what is wrong. */
export function testProviderConnection(id: string): Promise<ConnectionReport> {
  return call(() => commands.testProviderConnection(id));
}

export function listProviderModels(id: string): Promise<ModelInfo[]> {
  return call(() => commands.listProviderModels(id));
}

export function listProviderPresets(): Promise<ProviderPreset[]> {
  return callInfallible(() => commands.listProviderPresets());
}
