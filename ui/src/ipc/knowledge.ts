/**
 * Knowledge bases: collections of the person's files, indexed in the background, searched
 * before a reply of the agents and conversations they are attached to.
 */
import { commands } from "../bindings";
import type {
  FileStatus,
  KnowledgeBase,
  KnowledgeBaseInput,
  KnowledgeFilePage,
  KnowledgeProgress,
  KnowledgeSearch,
  KnowledgeSource,
} from "../bindings";
import { call } from "./call";

export function listKnowledgeBases(): Promise<KnowledgeBase[]> {
  return call(() => commands.listKnowledgeBases());
}

/** Rejects with `invalid_input` whose problems sit at the input's fields (`name`, `topK`…). */
export function createKnowledgeBase(input: KnowledgeBaseInput): Promise<KnowledgeBase> {
  return call(() => commands.createKnowledgeBase(input));
}

/** A new provider or embedding model makes the core embed every file again. */
export function updateKnowledgeBase(id: string, input: KnowledgeBaseInput): Promise<KnowledgeBase> {
  return call(() => commands.updateKnowledgeBase(id, input));
}

/** Deletes the base, its index and its chunks (the files themselves stay where they are). */
export async function deleteKnowledgeBase(id: string): Promise<void> {
  await call(() => commands.deleteKnowledgeBase(id));
}

export function listKnowledgeSources(kbId: string): Promise<KnowledgeSource[]> {
  return call(() => commands.listKnowledgeSources(kbId));
}

/** Adds a file or a folder; indexing it starts in the background. */
export function addKnowledgeSource(kbId: string, path: string): Promise<KnowledgeSource> {
  return call(() => commands.addKnowledgeSource(kbId, path));
}

export async function removeKnowledgeSource(kbId: string, sourceId: string): Promise<void> {
  await call(() => commands.removeKnowledgeSource(kbId, sourceId));
}

/** A watched folder's changes are indexed as they happen. */
export async function setKnowledgeSourceWatch(
  kbId: string,
  sourceId: string,
  watch: boolean,
): Promise<void> {
  await call(() => commands.setKnowledgeSourceWatch(kbId, sourceId, watch));
}

/** The system's open dialog, for files or for folders; empty when nothing was chosen. */
export function chooseKnowledgePaths(folders: boolean): Promise<string[]> {
  return call(() => commands.chooseKnowledgePaths(folders));
}

/** One page of the base's files, all of them or those with `status`. */
export function listKnowledgeFiles(
  kbId: string,
  status: FileStatus | null,
  offset: number,
  limit: number,
): Promise<KnowledgeFilePage> {
  return call(() => commands.listKnowledgeFiles(kbId, status, offset, limit));
}

/** Where the base's indexing stands; cheap enough to poll while a page shows it. */
export function knowledgeProgress(kbId: string): Promise<KnowledgeProgress> {
  return call(() => commands.knowledgeProgress(kbId));
}

export async function pauseKnowledge(kbId: string): Promise<void> {
  await call(() => commands.pauseKnowledge(kbId));
}

export async function resumeKnowledge(kbId: string): Promise<void> {
  await call(() => commands.resumeKnowledge(kbId));
}

/** Stops the current run; files not reached stay pending. */
export async function cancelKnowledge(kbId: string): Promise<void> {
  await call(() => commands.cancelKnowledge(kbId));
}

/** Reads every file again (an unchanged file keeps its embeddings). */
export async function reindexKnowledge(kbId: string): Promise<void> {
  await call(() => commands.reindexKnowledge(kbId));
}

/** Keyword and, when the base has an embedding model, vector search, fused. */
export function searchKnowledge(
  kbId: string,
  query: string,
  limit: number,
): Promise<KnowledgeSearch> {
  return call(() => commands.searchKnowledge(kbId, query, limit));
}

export function agentKnowledge(agentId: string): Promise<string[]> {
  return call(() => commands.agentKnowledge(agentId));
}

export async function setAgentKnowledge(agentId: string, kbIds: string[]): Promise<void> {
  await call(() => commands.setAgentKnowledge(agentId, kbIds));
}

/** The bases this conversation adds to its agent's. */
export function conversationKnowledge(conversationId: string): Promise<string[]> {
  return call(() => commands.conversationKnowledge(conversationId));
}

export async function setConversationKnowledge(
  conversationId: string,
  kbIds: string[],
): Promise<void> {
  await call(() => commands.setConversationKnowledge(conversationId, kbIds));
}

/** Opens a file of a knowledge base in the system's app for it; other paths are refused. */
export async function openKnowledgeFile(path: string): Promise<void> {
  await call(() => commands.openKnowledgeFile(path));
}
