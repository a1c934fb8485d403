/** Settings. */
import { commands } from "../bindings";
import type { Settings } from "../bindings";
import { call } from "./call";

export function getSettings(): Promise<Settings> {
  return call(() => commands.getSettings());
}

/** Stores the settings and returns them as stored; an out-of-range field is `invalid_input`. */
export function setSettings(settings: Settings): Promise<Settings> {
  return call(() => commands.setSettings(settings));
}
