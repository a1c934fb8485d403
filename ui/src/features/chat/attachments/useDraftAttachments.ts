/**
 * The attachments of the message being written: each is read by the core (a path from the
 * picker or a drop, pasted bytes, or an MCP server's resource) into a part, shown as a chip while it is read, and
 * sent with the message. A file too long for the conversation's context budget says so.
 */
import { useCallback, useEffect, useState } from "react";
import * as ipc from "../../../ipc";
import type { AttachmentFit, AttachmentPart, IpcError, McpResource, Part } from "../../../ipc";

export interface DraftAttachment {
  /** Also the id `cancelAttach` stops the read with. */
  id: string;
  /** The file's name as the person gave it, until the part brings the stored one. */
  name: string;
  state: "reading" | "ready" | "failed";
  part: AttachmentPart | null;
  error: IpcError | null;
  /** For a file: whether it fits the conversation named, once asked. */
  fit: { conversationId: string; value: AttachmentFit } | null;
}

let nextId = 0;
const newAttachId = () => `attach-${Date.now().toString(36)}-${++nextId}`;

/** The last part of a path, on any system. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A file's bytes as base64 (without the `data:` prefix). */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === "string" ? reader.result : "";
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () =>
      reject(new ipc.IpcError("internal", "the pasted file could not be read"));
    reader.readAsDataURL(file);
  });
}

/** A file over the size limit, refused before its bytes are read and sent to the core. */
function tooLarge(maxBytes: number): IpcError {
  return new ipc.IpcError("invalid_input", "attachment: too_large", [
    { path: "attachment", rule: "too_large", params: { max: maxBytes } },
  ]);
}

function isCancelled(error: IpcError): boolean {
  return error.problems.some((p) => p.rule === "cancelled");
}

export function useDraftAttachments(conversationId: string | null, maxBytes: number) {
  const [items, setItems] = useState<DraftAttachment[]>([]);

  const update = useCallback((id: string, change: Partial<DraftAttachment>) => {
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }, []);

  const remove = useCallback((id: string) => {
    setItems((list) => list.filter((item) => item.id !== id));
  }, []);

  const read = useCallback(
    async (name: string, run: (attachId: string) => Promise<Part>) => {
      const id = newAttachId();
      const item: DraftAttachment = {
        id,
        name,
        state: "reading",
        part: null,
        error: null,
        fit: null,
      };
      setItems((list) => [...list, item]);
      try {
        const part = await run(id);
        if (!ipc.isAttachment(part)) throw new ipc.IpcError("internal", "not an attachment");
        update(id, { state: "ready", part, name: part.name ?? name });
      } catch (e) {
        const error = ipc.toIpcError(e);
        // Cancelled by the person: the chip is gone already, nothing to tell.
        if (isCancelled(error)) remove(id);
        else update(id, { state: "failed", error });
      }
    },
    [remove, update],
  );

  const addPaths = useCallback(
    (paths: string[]) => {
      for (const path of paths) {
        void read(baseName(path), (id) => ipc.attachPath(id, path));
      }
    },
    [read],
  );

  const addFiles = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const name = file.name || "pasted";
        if (file.size > maxBytes) {
          void read(name, () => Promise.reject(tooLarge(maxBytes)));
        } else {
          void read(name, async (id) => ipc.attachBytes(id, name, await readBase64(file)));
        }
      }
    },
    [maxBytes, read],
  );

  /** A resource of one of the conversation's MCP servers, read in like a file. */
  const addResource = useCallback(
    (resource: McpResource) => {
      void read(resource.name, (id) =>
        ipc.attachMcpResource(id, resource.serverId, resource.uri, resource.name),
      );
    },
    [read],
  );

  /** The file picker: each chosen file is read in. */
  const choose = useCallback(async () => {
    try {
      addPaths(await ipc.chooseAttachmentPaths());
    } catch {
      // No dialog could open (no desktop shell): nothing was chosen.
    }
  }, [addPaths]);

  const cancel = useCallback(
    (id: string) => {
      remove(id);
      // The read ends with `cancelled`; it may have ended on its own meanwhile.
      ipc.cancelAttach(id).catch(() => {});
    },
    [remove],
  );

  /** Sends only the first `pages` pages of a file (null: all of it). */
  const setPagesSent = useCallback((id: string, pages: number | null) => {
    setItems((list) =>
      list.map((item) =>
        item.id === id && item.part?.type === "file"
          ? { ...item, part: { ...item.part, pagesSent: pages } }
          : item,
      ),
    );
  }, []);

  // Each file is checked against the budget of the conversation it would go to.
  const unchecked = items
    .filter((i) => i.part?.type === "file" && i.fit?.conversationId !== conversationId)
    .map((i) => `${i.id}:${i.part?.sha256}`)
    .join(" ");
  useEffect(() => {
    if (conversationId === null || unchecked === "") return;
    for (const entry of unchecked.split(" ")) {
      const [id = "", sha256 = ""] = entry.split(":");
      ipc.attachmentFit(conversationId, sha256).then(
        (value) => update(id, { fit: { conversationId, value } }),
        // Unknown: the chip shows no offer, and the core trims what does not fit.
        () => {},
      );
    }
  }, [conversationId, unchecked, update]);

  return {
    items,
    /** The parts to send: those read completely. */
    parts: items.flatMap((item) => (item.state === "ready" && item.part ? [item.part] : [])),
    reading: items.some((item) => item.state === "reading"),
    addPaths,
    addFiles,
    addResource,
    choose,
    remove,
    cancel,
    setPagesSent,
    /** Empties the list (the message was sent). */
    clear: () => setItems([]),
    /** Puts back what was sent, if the list is still empty (the core refused the message). */
    restore: (saved: DraftAttachment[]) => setItems((list) => (list.length === 0 ? saved : list)),
  };
}

export type DraftAttachments = ReturnType<typeof useDraftAttachments>;
