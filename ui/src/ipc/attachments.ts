/**
 * Attachments: reading files and pasted bytes into parts, their previews, whether a model
 * can see images and whether a file fits a conversation, and files dropped on the window.
 */
import { commands } from "../bindings";
import type { AttachmentFit, AttachmentText, ModelCapabilities, Part } from "../bindings";
import { call, callInfallible } from "./call";

export type {
  AttachmentFit,
  AttachmentText,
  CapabilitySource,
  ModelCapabilities,
} from "../bindings";

/** The parts a message can carry as attachments. */
export type AttachmentPart = Extract<Part, { type: "image" } | { type: "file" }>;

export function isAttachment(part: Part): part is AttachmentPart {
  return part.type === "image" || part.type === "file";
}

/** Asks for files to attach; empty when the dialog was cancelled. */
export function chooseAttachmentPaths(): Promise<string[]> {
  return call(() => commands.chooseAttachmentPaths());
}

/**
 * Reads the file at `path` into a part (a dropped or chosen file). A file the core refuses
 * is `invalid_input` with the rule saying why; `cancelAttach(attachId)` ends it with rule
 * `cancelled`.
 */
export function attachPath(attachId: string, path: string): Promise<Part> {
  return call(() => commands.attachPath(attachId, path));
}

/** Reads pasted bytes (base64, without a `data:` prefix) named `name` into a part. */
export function attachBytes(attachId: string, name: string, dataBase64: string): Promise<Part> {
  return call(() => commands.attachBytes(attachId, name, dataBase64));
}

/** Stops a read; it ends with rule `cancelled` (a read already over is left as it ended). */
export async function cancelAttach(attachId: string): Promise<void> {
  await callInfallible(() => commands.cancelAttach(attachId));
}

/** The text read out of a stored file, at most `maxChars` characters of it. */
export function attachmentText(sha256: string, maxChars: number): Promise<AttachmentText> {
  return call(() => commands.attachmentText(sha256, maxChars));
}

/** A stored image as a `data:image/...;base64,` URL. */
export function imageDataUrl(sha256: string): Promise<string> {
  return call(() => commands.imageDataUrl(sha256));
}

export function modelCapabilities(providerId: string, model: string): Promise<ModelCapabilities> {
  return call(() => commands.modelCapabilities(providerId, model));
}

/** Says whether a model can see images; `null` goes back to what Confab knows of it. */
export async function setModelVision(
  providerId: string,
  model: string,
  vision: boolean | null,
): Promise<void> {
  await call(() => commands.setModelVision(providerId, model, vision));
}

/** Whether a stored file fits the conversation's context budget, and what does if not. */
export function attachmentFit(conversationId: string, sha256: string): Promise<AttachmentFit> {
  return call(() => commands.attachmentFit(conversationId, sha256));
}

/** What the window reports while files are dragged over it. */
export type FileDrag = { kind: "over" } | { kind: "drop"; paths: string[] } | { kind: "leave" };

/**
 * Follows files dragged onto the window (the desktop shell gives their paths). Resolves to
 * a function that stops following; outside the shell nothing is reported.
 */
export async function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
  try {
    const { getCurrentWebview } = await import("@tauri-apps/api/webview");
    const unlisten = await getCurrentWebview().onDragDropEvent(({ payload }) => {
      if (payload.type === "drop") handler({ kind: "drop", paths: payload.paths });
      else if (payload.type === "leave") handler({ kind: "leave" });
      else handler({ kind: "over" });
    });
    return () => void unlisten();
  } catch {
    // No desktop shell (a plain browser): files cannot be dropped by path.
    return () => {};
  }
}
