/**
 * Which branch of the open conversation is shown: another version of a message, the branch
 * through a search hit. The core chooses and answers with the conversation as now shown.
 */
import * as ipc from "../../../ipc";
import type { ConversationDetail, Message } from "../../../ipc";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { useChatStore } from "./chatStore";
import { reveal } from "./jumpStore";

/** Shows `detail` when its conversation is still the one open. */
function showBranch(detail: ConversationDetail): void {
  if (useChatStore.getState().currentId !== detail.conversation.id) return;
  useChatStore.setState({ detail, loadStatus: "ready", loadError: null });
}

/**
 * Shows the version `step` places from `message` (1: the next, -1: the one before), and
 * keeps it in view: the transcript shows the end of the new branch, so a version far up
 * is scrolled back to.
 */
export async function switchVersion(message: Message, step: 1 | -1): Promise<void> {
  try {
    showBranch(await ipc.switchVersion(message.id, step));
    const last = useChatStore.getState().detail?.messages.at(-1);
    if (last && last.seq !== message.seq) await reveal(message.conversationId, message.seq);
  } catch (error) {
    if (useChatStore.getState().currentId === message.conversationId) {
      useChatStore.setState({ error: ipc.toIpcError(error) });
    }
  }
}

/**
 * Starts a new conversation with the history up to `message`, titled `title`, and opens
 * it. False (with the reason shown) when the core refused.
 */
export async function branchFrom(message: Message, title: string | null): Promise<boolean> {
  try {
    const copy = await ipc.branchConversation(message.id, title);
    void useConversationsStore.getState().load({ quiet: true });
    await useChatStore.getState().open(copy.id);
    return true;
  } catch (error) {
    if (useChatStore.getState().currentId === message.conversationId) {
      useChatStore.setState({ error: ipc.toIpcError(error) });
    }
    return false;
  }
}

/**
 * Shows the branch through message `messageId` (a search hit may lie in a branch not
 * shown). False when it could not be shown (a reply streams there, or it is gone); what is
 * shown then stays.
 */
export async function showMessageBranch(messageId: string): Promise<boolean> {
  try {
    showBranch(await ipc.showMessage(messageId));
    return true;
  } catch {
    return false;
  }
}
