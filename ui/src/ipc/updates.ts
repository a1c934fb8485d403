/** Updates of Confab itself: the version that runs, a check, the install, the start-up find. */
import { commands, events } from "../bindings";
import type { AppVersion, UpdateEvent, UpdateInfo } from "../bindings";
import { call, callInfallible, channelTo } from "./call";

/** The version that runs, and whether this copy can install an update by itself. */
export function getAppVersion(): Promise<AppVersion> {
  return callInfallible(() => commands.appVersion());
}

/** Asks the update server for a newer version; `null`: this one is the newest. */
export function checkForUpdate(): Promise<UpdateInfo | null> {
  return call(() => commands.checkForUpdate());
}

/** The update the last check found (e.g. the check at start), if any. */
export function foundUpdate(): Promise<UpdateInfo | null> {
  return call(() => commands.foundUpdate());
}

/**
 * Downloads the update found by the last check, checks its signature and installs it,
 * reporting progress to `onEvent`. Restart the app (`restartApp`) to run it.
 */
export async function installUpdate(onEvent: (event: UpdateEvent) => void): Promise<void> {
  await call(() => commands.installUpdate(channelTo(onEvent)));
}

/** Calls `onFound` when the check at start finds an update; returns the unsubscribe. */
export function onUpdateFound(onFound: (update: UpdateInfo) => void): Promise<() => void> {
  return events.updateFound.listen((event) => onFound(event.payload));
}
