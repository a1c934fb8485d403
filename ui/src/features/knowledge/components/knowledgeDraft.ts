import type { KnowledgeBase, KnowledgeBaseInput } from "../../../ipc";

/** The form's copy of a knowledge base: numbers as typed, no provider as "". */
export interface KnowledgeDraft {
  name: string;
  providerId: string;
  embeddingModel: string;
  rerankModel: string;
  chunkTokens: string;
  chunkOverlap: string;
  topK: string;
  contextTokens: string;
  /** Image files are indexed too (a multimodal embedding model is needed). */
  indexImages: boolean;
}

export const KNOWLEDGE_FIELDS = [
  "name",
  "providerId",
  "embeddingModel",
  "rerankModel",
  "chunkTokens",
  "chunkOverlap",
  "topK",
  "contextTokens",
] as const;
export type KnowledgeField = (typeof KNOWLEDGE_FIELDS)[number];

/** Keys under `knowledge` in the i18n files: what the form checks before sending. */
export type KnowledgeErrorKey =
  "errorName" | "errorModel" | "errorChunk" | "errorOverlap" | "errorTopK" | "errorContext";

/** Multimodal embedding models (text and images in one space), by the start of their names. */
const MULTIMODAL_PREFIXES = [
  "jina-clip",
  "jina-embeddings-v4",
  "clip",
  "siglip",
  "nomic-embed-vision",
];

/** Whether `model` is known to embed images too (the core finds out when it indexes one). */
export function isMultimodalModel(model: string): boolean {
  const name = model.trim().toLowerCase().split("/").pop() ?? "";
  return MULTIMODAL_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Models an OpenAI-compatible `/v1/embeddings` commonly serves, offered as suggestions. */
export const EMBEDDING_SUGGESTIONS = [
  "text-embedding-3-small",
  "text-embedding-3-large",
  "jina-embeddings-v4",
  "jina-clip-v2",
  "nomic-embed-text",
  "bge-m3",
  "BAAI/bge-m3",
  "text-embedding-v3",
];

export const RERANK_SUGGESTIONS = [
  "jina-reranker-v2-base-multilingual",
  "rerank-v3.5",
  "BAAI/bge-reranker-v2-m3",
];

/** The core's defaults, and its limits (the core checks them again). */
const DEFAULTS = { chunkTokens: 400, chunkOverlap: 60, topK: 5, contextTokens: 2000 };
const within = (value: number, min: number, max: number) => value >= min && value <= max;

export function draftFrom(base: KnowledgeBase | null): KnowledgeDraft {
  return {
    name: base?.name ?? "",
    providerId: base?.providerId ?? "",
    embeddingModel: base?.embeddingModel ?? "",
    rerankModel: base?.rerankModel ?? "",
    chunkTokens: String(base?.chunkTokens ?? DEFAULTS.chunkTokens),
    chunkOverlap: String(base?.chunkOverlap ?? DEFAULTS.chunkOverlap),
    topK: String(base?.topK ?? DEFAULTS.topK),
    contextTokens: String(base?.contextTokens ?? DEFAULTS.contextTokens),
    indexImages: base?.indexImages ?? false,
  };
}

/** A whole number as typed, or NaN. */
function whole(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
}

/** What can be said before asking the core; the core checks again and has the last word. */
export function validateDraft(
  draft: KnowledgeDraft,
): Partial<Record<KnowledgeField, KnowledgeErrorKey>> {
  const errors: Partial<Record<KnowledgeField, KnowledgeErrorKey>> = {};
  if (draft.name.trim() === "") errors.name = "errorName";
  if (draft.providerId !== "" && draft.embeddingModel.trim() === "")
    errors.embeddingModel = "errorModel";
  const chunk = whole(draft.chunkTokens);
  if (!within(chunk, 50, 4000)) errors.chunkTokens = "errorChunk";
  const overlap = whole(draft.chunkOverlap);
  if (!within(overlap, 0, 1000) || overlap >= chunk) errors.chunkOverlap = "errorOverlap";
  if (!within(whole(draft.topK), 1, 50)) errors.topK = "errorTopK";
  if (!within(whole(draft.contextTokens), 100, 100_000)) errors.contextTokens = "errorContext";
  return errors;
}

/** The input the core takes; call after `validateDraft` found nothing. */
export function inputFrom(draft: KnowledgeDraft): KnowledgeBaseInput {
  const providerId = draft.providerId === "" ? null : draft.providerId;
  return {
    name: draft.name.trim(),
    providerId,
    embeddingModel: providerId ? draft.embeddingModel.trim() : "",
    rerankModel: providerId && draft.rerankModel.trim() !== "" ? draft.rerankModel.trim() : null,
    chunkTokens: whole(draft.chunkTokens),
    chunkOverlap: whole(draft.chunkOverlap),
    topK: whole(draft.topK),
    contextTokens: whole(draft.contextTokens),
    indexImages: providerId !== null && draft.indexImages,
  };
}

/** The form field a problem of the core is about (`name`, `topK`…), or null. */
export function fieldOfPath(path: string): KnowledgeField | null {
  const head = path.split(".")[0] ?? "";
  return (KNOWLEDGE_FIELDS as readonly string[]).includes(head) ? (head as KnowledgeField) : null;
}

/** Whether saving `draft` over `base` makes the core embed every file again. */
export function reembeds(base: KnowledgeBase | null, draft: KnowledgeDraft): boolean {
  if (!base || base.counts.files === 0) return false;
  const input = inputFrom(draft);
  return input.providerId !== base.providerId || input.embeddingModel !== base.embeddingModel;
}
