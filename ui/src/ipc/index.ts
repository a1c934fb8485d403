/**
 * The UI's only door to the Rust core, one module per domain. Components and stores call
 * these functions; they never import `bindings.ts` or create a `Channel` themselves.
 *
 * Each function returns the command's data or throws an `IpcError`.
 */
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
  Part,
  PromptMessage,
  Provider,
  ProviderInput,
  ProviderPreset,
  QueueReason,
  SearchHit,
  SnippetPart,
  ToolDecision,
  ToolStatus,
  AgentTools,
  Stats,
  AgentUsage,
  DayUsage,
  ModelUsage,
  RecentError,
  Totals,
  Usage,
  Spending,
  Role,
  Settings,
  StartupState,
  StartupStatus,
  StorageInfo,
  TemplateInput,
  ExportFormat,
  ExportSummary,
  FileKind,
  FileStatus,
  ImportEvent,
  ImportKind,
  ImportNote,
  ImportProgress,
  ImportSummary,
  KnowledgeBase,
  KnowledgeBaseInput,
  KnowledgeCounts,
  KnowledgeFile,
  KnowledgeFilePage,
  KnowledgeHit,
  KnowledgeProgress,
  KnowledgeSearch,
  KnowledgeSource,
  RunState,
  LogInfo,
  McpItem,
  McpServer,
  McpServerInfo,
  McpServerInput,
  McpStatus,
  McpValueInput,
  McpValueView,
  AppVersion,
  UpdateEvent,
  UpdateInfo,
} from "../bindings";
export { ERROR_CODES, IpcError, toIpcError } from "./errors";
export type { IpcErrorCode } from "./errors";
export { isCoreReachable } from "./call";
export * from "./agents";
export * from "./attachments";
export * from "./chat";
export * from "./context";
export * from "./conversations";
export * from "./data";
export * from "./knowledge";
export * from "./mcp";
export * from "./pricing";
export * from "./providers";
export * from "./settings";
export * from "./storage";
export * from "./updates";
export * from "./mcpComposer";
