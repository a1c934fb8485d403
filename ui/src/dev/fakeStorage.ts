/**
 * The storage commands of the dev fake core: startup status, backups, restore, storage info.
 * `?recovery=<code>` (e.g. `corrupt`, `migration_failed`) starts in the recovery state;
 * `?restored` as if a backup had just been restored; `?opening=<ms>` opens that slowly.
 */
import type { BackupInfo, ErrorCode, StartupStatus } from "../bindings";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const DB_PATH = "/home/you/.local/share/app.confab.desktop/confab.db";
const BACKUP_DIR = "/home/you/.local/share/app.confab.desktop/backups";
const HOUR = 3_600_000;

function backupOf(
  kind: "pre_migration" | "manual",
  createdAt: number,
  sizeBytes: number,
): BackupInfo {
  const prefix = kind === "manual" ? "manual" : "pre-migration";
  const fileName = `${prefix}-${createdAt}.db`;
  return { path: `${BACKUP_DIR}/${fileName}`, fileName, kind, sizeBytes, createdAt };
}

/** `attachmentsBytes`: what the attachments take now. */
export function createStorage(params: URLSearchParams, attachmentsBytes: () => number = () => 0) {
  const now = Date.now();
  const backups: BackupInfo[] = [
    backupOf("manual", now - 2 * HOUR, 4_812_800),
    backupOf("pre_migration", now - 26 * HOUR, 4_700_160),
  ];
  const recovery = params.get("recovery");
  let startup: StartupStatus = {
    state: recovery
      ? { kind: "recovery_needed", code: recovery as ErrorCode }
      : params.has("restored")
        ? { kind: "restored_backup", backup: backups[0]?.path ?? "" }
        : { kind: "ok" },
    message: recovery ? `the database file is damaged: ${recovery} (fake)` : "",
    dbPath: DB_PATH,
    backups,
    progress: null,
  };
  let restorePending: string | null = null;
  // `?opening=<ms>`: the database takes this long to open (as after an upgrade).
  const openUntil = now + Number(params.get("opening") ?? 0);

  return {
    getStartupStatus: () => {
      if (Date.now() < openUntil) {
        return {
          state: { kind: "opening" },
          message: "",
          dbPath: DB_PATH,
          backups: [],
          progress: null,
        };
      }
      startup = { ...startup, backups: [...backups] };
      return startup;
    },
    listBackups: () => [...backups],
    backupDatabase: (path) => {
      if (startup.state.kind === "recovery_needed") {
        return fail("internal", "the database is not open (recovery needed)");
      }
      const createdAt = Date.now();
      if (path !== null) {
        const fileName = path.split(/[\\/]/).pop() ?? path;
        return { path, fileName, kind: null, sizeBytes: 4_915_200, createdAt };
      }
      const copy = backupOf("manual", createdAt, 4_915_200);
      backups.unshift(copy);
      return copy;
    },
    restoreBackup: (path) => {
      if (!backups.some((b) => b.path === path)) {
        return fail("not_found", `backup ${path} was not found`);
      }
      // The real core restarts the app and swaps the file; here the next status says so.
      restorePending = path;
      startup = {
        ...startup,
        state: { kind: "restored_backup", backup: restorePending },
        message: "",
      };
      return null;
    },
    // The real core restarts; the fake has nothing to restart.
    restartApp: () => undefined,
    getStorageInfo: () => ({
      dbPath: DB_PATH,
      dbSizeBytes: 4_915_200,
      walSizeBytes: 131_072,
      backupDir: BACKUP_DIR,
      backupCount: backups.length,
      quickCheckOk: startup.state.kind !== "recovery_needed",
      quickCheckMessage: startup.state.kind === "recovery_needed" ? startup.message : "",
      attachmentsBytes: attachmentsBytes(),
    }),
  } satisfies Partial<CoreHandlers>;
}
