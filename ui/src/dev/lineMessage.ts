import type { Message } from "../ipc";

/**
 * The tree fields of a message that has no other version, for the fakes and test fixtures
 * that keep a conversation as one line: the core always fills them. `parts` is left empty:
 * the transcript reads a message's text from `content` and only other kinds from `parts`.
 */
export function lineFields(): Pick<Message, "parentId" | "parts" | "version" | "versions"> {
  return { parentId: null, parts: [], version: 1, versions: 1 };
}
