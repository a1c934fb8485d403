import { create } from "zustand";
import type { Message } from "../../../ipc";
import { showMessageBranch } from "./branches";
import { useChatStore } from "./chatStore";

export interface JumpTarget {
  conversationId: string;
  seq: number;
  /** Tells two jumps to the same message apart, so the second one scrolls again. */
  nonce: number;
}

interface JumpState {
  target: JumpTarget | null;
  clear: () => void;
}

/** A message the transcript should scroll to and briefly highlight (a search result). */
export const useJumpStore = create<JumpState>()((set) => ({
  target: null,
  clear: () => set({ target: null }),
}));

let nonce = 0;

/** A message to go to: its id and its depth in the conversation. */
export interface MessagePlace {
  messageId: string;
  seq: number;
}

/**
 * Opens a conversation and, given a message, shows the branch it is on (it may be another
 * version's), loads older pages until it is there, then asks the transcript to show it.
 * Resolves false when the message is gone (deleted since).
 */
export async function openAt(conversationId: string, place: MessagePlace | null): Promise<boolean> {
  const chat = useChatStore.getState();
  if (chat.currentId !== conversationId || chat.loadStatus !== "ready") {
    await chat.open(conversationId);
  }
  if (place === null) return true;
  const { messageId, seq } = place;
  await showMessageBranch(messageId);
  return reveal(conversationId, seq, (m) => m.id === messageId);
}

/**
 * Loads older pages of the open conversation until the message at depth `seq` that `is`
 * accepts is there, then asks the transcript to scroll to it. False when it is not found.
 */
export async function reveal(
  conversationId: string,
  seq: number,
  is: (message: Message) => boolean = () => true,
): Promise<boolean> {
  for (;;) {
    const { detail, olderStatus, currentId } = useChatStore.getState();
    if (currentId !== conversationId || !detail) return false;
    if (detail.messages.some((m) => m.seq === seq && is(m))) break;
    const oldest = detail.messages[0];
    if (!detail.hasMore || olderStatus === "error" || (oldest && oldest.seq < seq)) return false;
    await useChatStore.getState().loadOlder();
  }
  useJumpStore.setState({ target: { conversationId, seq, nonce: ++nonce } });
  return true;
}
