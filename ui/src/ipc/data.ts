/** Data in and out: export, import, usage statistics, logs, diagnostics and the file dialogs. */
import { commands } from "../bindings";
import type {
  ExportFormat,
  ExportSummary,
  FileKind,
  ImportEvent,
  ImportKind,
  ImportSummary,
  LogInfo,
  Stats,
} from "../bindings";
import { call, channelTo } from "./call";

/** Writes the conversations `ids` (every one when `null`) to `path`; replaces an existing file. */
export function exportConversations(
  ids: string[] | null,
  format: ExportFormat,
  path: string,
): Promise<ExportSummary> {
  return call(() => commands.exportConversations(ids, format, path));
}

/**
 * Imports the file at `path`, all or nothing. `onEvent` receives `progress` (bytes read of
 * the file, conversations and messages so far) and `saving` at the end; `invalid_input`
 * lists every problem of a file that was not imported, one per line.
 */
export function importConversations(
  path: string,
  kind: ImportKind,
  onEvent: (event: ImportEvent) => void,
): Promise<ImportSummary> {
  return call(() => commands.importConversations(path, kind, channelTo(onEvent)));
}

/** Totals and the last `days` days per day, agent and model; days start at local midnight. */
export function getStats(days: number): Promise<Stats> {
  const utcOffsetMinutes = -new Date().getTimezoneOffset();
  return call(() => commands.getStats(days, utcOffsetMinutes));
}

export function getLogInfo(): Promise<LogInfo> {
  return call(() => commands.getLogInfo());
}

export async function openLogFolder(): Promise<void> {
  await call(() => commands.openLogFolder());
}

/** Writes the diagnostics report (no secrets) to `path`; resolves with its size in bytes. */
export function exportDiagnostics(path: string): Promise<number> {
  return call(() => commands.exportDiagnostics(path));
}

/** The system's save dialog; `null` when the person cancels. */
export function chooseSavePath(kind: FileKind, fileName: string): Promise<string | null> {
  return call(() => commands.chooseSavePath(kind, fileName));
}

/** The system's open dialog; `null` when the person cancels. */
export function chooseOpenPath(kind: FileKind): Promise<string | null> {
  return call(() => commands.chooseOpenPath(kind));
}
