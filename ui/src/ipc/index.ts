/**
 * The UI's only door to the Rust core. Components and stores call these functions;
 * they never import `bindings.ts` or create a `Channel` themselves.
 *
 * Each function returns the command's data or throws an `IpcError`.
 */
import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type {
  ActiveStream,
  Agent,
  AgentInput,
  BackupInfo,
  ChatEvent,
  ConnectionReport,
  ContextOverride,
  ContextPreview,
  ContextTemplate,
  Conversation,
  ConversationDetail,
  Message,
  MessagePage,
  KeyStatus,
  ModelInfo,
  Provider,
  ProviderInput,
  ProviderPreset,
  PromptMessage,
  SearchHit,
  Settings,
  Stats,
  StartupStatus,
  StorageInfo,
  TemplateInput,
  ExportFormat,
  ExportSummary,
  FileKind,
  ImportEvent,
  ImportKind,
  ImportSummary,
  LogInfo,
} from "../bindings";
import { IpcError, toIpcError } from "./errors";

export type {
  ActiveStream,
  Agent,
  AgentInput,
  AgentParams,
  AppPreset,
  BackupInfo,
  BackupKind,
  ChatEvent,
  ConnectionReport,
  ContextOverride,
  ContextPolicy,
  ContextTemplate,
  ContextPreview,
  Conversation,
  ConversationDetail,
  ConversationQuery,
  MessagePage,
  ErrorCode,
  KeyStatus,
  Message,
  MessageMeta,
  MessageState,
  ModelInfo,
  PromptMessage,
  Provider,
  ProviderInput,
  ProviderPreset,
  QueueReason,
  SearchHit,
  SnippetPart,
  Stats,
  AgentUsage,
  DayUsage,
  ModelUsage,
  RecentError,
  Totals,
  Usage,
  Role,
  Settings,
  StartupState,
  StartupStatus,
  StorageInfo,
  TemplateInput,
  ExportFormat,
  ExportSummary,
  FileKind,
  ImportEvent,
  ImportKind,
  ImportNote,
  ImportProgress,
  ImportSummary,
  LogInfo,
} from "../bindings";
export { ERROR_CODES, IpcError, toIpcError } from "./errors";
export type { IpcErrorCode } from "./errors";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

interface TauriInternals {
  invoke?: unknown;
}

/** True inside the desktop shell (or under `mockIPC` in tests). */
export function isCoreReachable(): boolean {
  const internals = (window as { __TAURI_INTERNALS__?: TauriInternals }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === "function";
}

function ensureReachable(): void {
  if (!isCoreReachable()) {
    throw new IpcError("unavailable", "The Confab core is not running.");
  }
}

/** For commands returning `Result<T, AppError>`. */
async function call<T>(run: () => Promise<CommandResult<T>>): Promise<T> {
  ensureReachable();
  let result: CommandResult<T>;
  try {
    result = await run();
  } catch (error) {
    throw toIpcError(error);
  }
  // The error is an `AppError` by contract, but Tauri's own failures (unknown command,
  // denied by capabilities) arrive on the same path as a bare string.
  if (result.status === "error") throw toIpcError(result.error);
  return result.data;
}

/** For commands that cannot fail in the core; the IPC itself still can. */
async function callInfallible<T>(run: () => Promise<T>): Promise<T> {
  ensureReachable();
  try {
    return await run();
  } catch (error) {
    throw toIpcError(error);
  }
}

export function createConversation(title: string | null = null): Promise<Conversation> {
  return call(() => commands.createConversation(title));
}

/** Totals and the last `days` days per day, agent and model; days start at local midnight. */
export function getStats(days: number): Promise<Stats> {
  const utcOffsetMinutes = -new Date().getTimezoneOffset();
  return call(() => commands.getStats(days, utcOffsetMinutes));
}

/** A page of conversations, pinned first then newest; the archive when `archived`. */
export function listConversations(
  limit: number,
  offset = 0,
  filter: { agentId?: string | null; archived?: boolean } = {},
): Promise<Conversation[]> {
  return call(() =>
    commands.listConversations({
      limit,
      offset,
      agentId: filter.agentId ?? null,
      archived: filter.archived ?? false,
    }),
  );
}

/** An empty title is `invalid_input`. */
export function renameConversation(id: string, title: string): Promise<Conversation> {
  return call(() => commands.renameConversation(id, title));
}

export function setConversationPinned(id: string, pinned: boolean): Promise<Conversation> {
  return call(() => commands.setConversationPinned(id, pinned));
}

export function setConversationArchived(id: string, archived: boolean): Promise<Conversation> {
  return call(() => commands.setConversationArchived(id, archived));
}

/** Full-text search over titles and messages, best matches first. */
export function search(query: string, limit: number): Promise<SearchHit[]> {
  return call(() => commands.search(query, limit));
}

export function getContextOverride(conversationId: string): Promise<ContextOverride> {
  return call(() => commands.getContextOverride(conversationId));
}

/** Stores the override as given; a bad field is `invalid_input` naming it. */
export function setContextOverride(
  conversationId: string,
  value: ContextOverride,
): Promise<ContextOverride> {
  return call(() => commands.setContextOverride(conversationId, value));
}

export function listTemplates(): Promise<ContextTemplate[]> {
  return call(() => commands.listTemplates());
}

/** A blank name or content is `invalid_input` naming the field. */
export function createTemplate(input: TemplateInput): Promise<ContextTemplate> {
  return call(() => commands.createTemplate(input));
}

export function updateTemplate(id: string, input: TemplateInput): Promise<ContextTemplate> {
  return call(() => commands.updateTemplate(id, input));
}

export async function deleteTemplate(id: string): Promise<void> {
  await call(() => commands.deleteTemplate(id));
}

/** Makes `id` the one default template; `null` leaves none. */
export async function setDefaultTemplate(id: string | null): Promise<void> {
  await call(() => commands.setDefaultTemplate(id));
}

/** Puts the template into the conversation's override and returns the override. */
export function applyTemplate(
  conversationId: string,
  templateId: string,
): Promise<ContextOverride> {
  return call(() => commands.applyTemplate(conversationId, templateId));
}

/** The following three are `busy` while a reply streams in the message's conversation. */
export function setMessageInContext(messageId: string, inContext: boolean): Promise<Message> {
  return call(() => commands.setMessageInContext(messageId, inContext));
}

export function editMessage(messageId: string, content: string): Promise<Message> {
  return call(() => commands.editMessage(messageId, content));
}

export async function deleteMessage(messageId: string): Promise<void> {
  await call(() => commands.deleteMessage(messageId));
}

/** Exactly what the next request would send, and its tokens against the agent's budget. */
export function previewContext(conversationId: string): Promise<ContextPreview> {
  return call(() => commands.previewContext(conversationId));
}

export function getConversation(id: string): Promise<ConversationDetail> {
  return call(() => commands.getConversation(id));
}

/** The (at most `limit`) messages just before `beforeSeq`, oldest first. */
export function listMessages(
  conversationId: string,
  beforeSeq: number,
  limit: number,
): Promise<MessagePage> {
  return call(() => commands.listMessages(conversationId, beforeSeq, limit));
}

export async function deleteConversation(id: string): Promise<void> {
  await call(() => commands.deleteConversation(id));
}

/** Called with each event of one reply stream, in order. */
export type ChatEventHandler = (event: ChatEvent) => void;

function channelTo(onEvent: ChatEventHandler): Channel<ChatEvent> {
  const channel = new Channel<ChatEvent>();
  channel.onmessage = onEvent;
  return channel;
}

/**
 * Starts a reply. Resolves with the stream id once the core has accepted the message;
 * `onEvent` then receives `started`, any of `queued` / `retrying` / `heartbeat` / `delta` /
 * `usage`, exactly one `done` or `error`, and possibly a `title` after that.
 */
export function sendMessage(
  conversationId: string,
  text: string,
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.sendMessage(conversationId, text, channelTo(onEvent)));
}

/** Replaces the conversation's last reply with a new one; events as for `sendMessage`. */
export function regenerate(conversationId: string, onEvent: ChatEventHandler): Promise<string> {
  return call(() => commands.regenerate(conversationId, channelTo(onEvent)));
}

/**
 * Goes on with the conversation's last reply, which ended early; `started` names the reply
 * being continued and carries its text, deltas bring only new text, and `done` brings the
 * reply stored over the old one (same id).
 */
export function continueReply(conversationId: string, onEvent: ChatEventHandler): Promise<string> {
  return call(() => commands.continueReply(conversationId, channelTo(onEvent)));
}

/**
 * Changes the text of a user message, drops every message after it and streams a new reply;
 * events as for `sendMessage` (`started` brings the edited message).
 */
export function editAndResend(
  messageId: string,
  text: string,
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.editAndResend(messageId, text, channelTo(onEvent)));
}

/**
 * Stops a reply. The stream then ends with `done`, bringing the reply stored as `cancelled`
 * with its text. Rejects with `not_found` when the stream has already ended.
 */
export async function cancelStream(streamId: string): Promise<void> {
  await call(() => commands.cancelStream(streamId));
}

/**
 * Listens to a reply that is already streaming (after a reload): `onEvent` first receives a
 * `snapshot` with the text so far, then the live events. Rejects with `not_found` when the
 * stream has ended meanwhile.
 */
export async function attachStream(streamId: string, onEvent: ChatEventHandler): Promise<void> {
  await call(() => commands.attachStream(streamId, channelTo(onEvent)));
}

/** Replies streaming now, oldest first. */
export function listActiveStreams(): Promise<ActiveStream[]> {
  return callInfallible(() => commands.listActiveStreams());
}

export function getSettings(): Promise<Settings> {
  return call(() => commands.getSettings());
}

/** Stores the settings and returns them as stored; an out-of-range field is `invalid_input`. */
export function setSettings(settings: Settings): Promise<Settings> {
  return call(() => commands.setSettings(settings));
}

// Providers

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

// Agents

export function listAgents(): Promise<Agent[]> {
  return call(() => commands.listAgents());
}

export function createAgent(input: AgentInput): Promise<Agent> {
  return call(() => commands.createAgent(input));
}

export function updateAgent(id: string, input: AgentInput): Promise<Agent> {
  return call(() => commands.updateAgent(id, input));
}

export function duplicateAgent(id: string): Promise<Agent> {
  return call(() => commands.duplicateAgent(id));
}

export async function deleteAgent(id: string): Promise<void> {
  await call(() => commands.deleteAgent(id));
}

/** A `confab-agents` JSON document; every agent but the built-in one when `ids` is empty. */
export function exportAgents(ids: string[]): Promise<string> {
  return call(() => commands.exportAgents(ids));
}

/** All of the document or nothing: `invalid_input` lists every problem, one per line. */
export function importAgents(document: string): Promise<Agent[]> {
  return call(() => commands.importAgents(document));
}

/** The agent a conversation was started from, with its greetings; null for none. */
export function getConversationAgent(conversationId: string): Promise<Agent | null> {
  return call(() => commands.getConversationAgent(conversationId));
}

/**
 * Streams a reply of an unsaved agent (the editor's draft) to a try-out `history` (oldest
 * first, ending with the user's message). Nothing is stored: `done` brings the reply as a
 * message that exists only in the event. Events as for `sendMessage`; stop with
 * `cancelStream`.
 */
export function tryAgent(
  draft: AgentInput,
  history: PromptMessage[],
  onEvent: ChatEventHandler,
): Promise<string> {
  return call(() => commands.tryAgent(draft, history, channelTo(onEvent)));
}

export function createConversationWithAgent(agentId: string): Promise<Conversation> {
  return call(() => commands.createConversationWithAgent(null, agentId));
}

// Storage

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

/** The raw request and response kept with a reply (debug capture), as indented JSON. */
export function getMessageDebug(messageId: string): Promise<string | null> {
  return call(() => commands.getMessageDebug(messageId));
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

// Data: export, import, logs, diagnostics, file dialogs

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
  const channel = new Channel<ImportEvent>();
  channel.onmessage = onEvent;
  return call(() => commands.importConversations(path, kind, channel));
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
