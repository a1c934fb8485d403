/**
 * What a reply that searched knowledge bases carries before its text: a `retrieval` part
 * (which bases, how many passages) and a `citation` part per passage, numbered from 1 in
 * their order. The text cites them as `[1]`, `[2]`.
 */
import { createContext } from "react";
import type { Part } from "../../../ipc";

export type CitationPart = Extract<Part, { type: "citation" }>;
export type RetrievalPart = Extract<Part, { type: "retrieval" }>;

export interface ReplySourcesOf {
  /** The reply's sources, source n at index n - 1. */
  citations: CitationPart[];
  /** The searches made for it (one per reply, in practice). */
  retrievals: RetrievalPart[];
}

export function sourcesOf(parts: readonly Part[]): ReplySourcesOf {
  const citations: CitationPart[] = [];
  const retrievals: RetrievalPart[] = [];
  for (const part of parts) {
    if (part.type === "citation") citations.push(part);
    else if (part.type === "retrieval") retrievals.push(part);
  }
  return { citations, retrievals };
}

/** What a `[n]` in the reply's text needs: the sources, and how to show one. */
export interface CitationLinks {
  citations: CitationPart[];
  /** Scrolls to source n under the reply and highlights it. */
  show: (n: number) => void;
}

/** Outside a reply with sources there is none: every `[n]` stays plain text. */
export const CitationContext = createContext<CitationLinks>({ citations: [], show: () => {} });
