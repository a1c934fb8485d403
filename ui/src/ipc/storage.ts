/** The database: how it came up, backups, restore and restart, where it lives; links opened outside. */
import { commands } from "../bindings";
import type { BackupInfo, StartupStatus, StorageInfo } from "../bindings";
import { call, callInfallible } from "./call";

/**
 * How the database came up. `opening`: nothing else answers yet (ask again);
 * `recovery_needed`: only the storage calls below work.
 */
export function getStartupStatus(): Promise<StartupStatus> {
  return call(() => commands.getStartupStatus());
}

/** A consistent copy of the database: to `path` (a new file), or into the backups folder. */
export function backupDatabase(path: string | null = null): Promise<BackupInfo> {
  return call(() => commands.backupDatabase(path));
}

/** The copies in the backups folder, newest first. */
export function listBackups(): Promise<BackupInfo[]> {
  return call(() => commands.listBackups());
}

/** Restores `path` (ask for confirmation first): the app restarts and swaps the file. */
export async function restoreBackup(path: string): Promise<void> {
  await call(() => commands.restoreBackup(path));
}

/** Restarts the app (from the recovery screen, once the cause is fixed). */
export async function restartApp(): Promise<void> {
  await callInfallible(() => commands.restartApp());
}

export function getStorageInfo(): Promise<StorageInfo> {
  return call(() => commands.getStorageInfo());
}

/** Opens an http, https or mailto link in the system browser (the core refuses other schemes). */
export async function openUrl(url: string): Promise<void> {
  await call(() => commands.openUrl(url));
}
