/** Settings and the built-in connection's key. */
import { commands } from "../bindings";
import type { KeyStatus, ProviderInfo, Settings } from "../bindings";
import { call, callInfallible } from "./call";

export function getSettings(): Promise<Settings> {
  return call(() => commands.getSettings());
}

/** Stores the settings and returns them as stored; an out-of-range field is `invalid_input`. */
export function setSettings(settings: Settings): Promise<Settings> {
  return call(() => commands.setSettings(settings));
}

export function getApiKeyStatus(): Promise<KeyStatus> {
  return call(() => commands.getApiKeyStatus());
}

export function setApiKey(key: string): Promise<KeyStatus> {
  return call(() => commands.setApiKey(key));
}

export function clearApiKey(): Promise<KeyStatus> {
  return call(() => commands.clearApiKey());
}

export function getProviderInfo(): Promise<ProviderInfo> {
  return callInfallible(() => commands.getProviderInfo());
}
