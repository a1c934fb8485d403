/**
 * A reply's parts as the transcript shows them: text and reasoning in order, and each tool
 * call as one row that carries its result (results come after all the calls of a step, in
 * any order, and are found by call id).
 */
import type { Part } from "../../../ipc";

export type ToolCallPart = Extract<Part, { type: "toolCall" }>;
export type ToolResultPart = Extract<Part, { type: "toolResult" }>;

export type Segment =
  | { kind: "reasoning"; text: string; durationMs: number | null }
  | { kind: "text"; text: string }
  | { kind: "tool"; call: ToolCallPart; result: ToolResultPart | null };

export function hasToolSteps(parts: Part[]): boolean {
  return parts.some((part) => part.type === "toolCall" || part.type === "toolResult");
}

export function segmentsOf(parts: Part[]): Segment[] {
  const results = new Map<string, ToolResultPart>();
  for (const part of parts) if (part.type === "toolResult") results.set(part.callId, part);
  const segments: Segment[] = [];
  for (const part of parts) {
    switch (part.type) {
      case "reasoning":
        segments.push({ kind: "reasoning", text: part.text, durationMs: part.durationMs ?? null });
        break;
      case "text":
        // Text pieces in a row read as one (a stored reply may split its text).
        if (segments.at(-1)?.kind === "text") {
          const last = segments.pop() as { kind: "text"; text: string };
          segments.push({ kind: "text", text: last.text + part.text });
        } else segments.push({ kind: "text", text: part.text });
        break;
      case "toolCall":
        segments.push({ kind: "tool", call: part, result: results.get(part.callId) ?? null });
        break;
      // Results travel with their call; images, files and sources are shown elsewhere.
      case "toolResult":
      case "image":
      case "file":
      case "retrieval":
      case "citation":
        break;
    }
  }
  return segments;
}

/** The arguments for reading: indented when they are JSON, else as the model wrote them. */
export function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
