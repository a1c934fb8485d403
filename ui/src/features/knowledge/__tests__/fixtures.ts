import type { KnowledgeBase, KnowledgeFile, KnowledgeProgress } from "../../../ipc";

/** A base "Manuals" (id kb1) with an embedding model and 3 indexed files. */
export function knowledgeBase(overrides: Partial<KnowledgeBase> = {}): KnowledgeBase {
  return {
    id: "kb1",
    name: "Manuals",
    providerId: "p1",
    embeddingModel: "text-embedding-3-small",
    dimensions: 1536,
    rerankModel: null,
    chunkTokens: 512,
    chunkOverlap: 64,
    topK: 5,
    contextTokens: 4000,
    paused: false,
    indexImages: false,
    createdAt: 0,
    updatedAt: 0,
    counts: { files: 3, indexed: 3, pending: 0, noText: 0, failed: 0, chunks: 30, bytes: 92_160 },
    ...overrides,
  };
}

export function knowledgeFile(overrides: Partial<KnowledgeFile> = {}): KnowledgeFile {
  return {
    id: 1,
    sourceId: "s1",
    path: "/docs/guide.pdf",
    size: 2048,
    status: "indexed",
    error: null,
    chunks: 4,
    updatedAt: 0,
    image: false,
    ...overrides,
  };
}

export function progress(overrides: Partial<KnowledgeProgress> = {}): KnowledgeProgress {
  return {
    kbId: "kb1",
    state: "idle",
    done: 3,
    total: 3,
    current: null,
    stoppedBy: null,
    ...overrides,
  };
}

/** What the page reads about a base, beyond the list: none of it, unless a test says. */
export const quietBase = {
  listKnowledgeSources: () => [],
  listKnowledgeFiles: () => ({ files: [], total: 0 }),
  knowledgeProgress: () => progress(),
  listProviders: () => [],
};
