/**
 * Which branch of the open conversation is shown: another version of a message, the branch
 * through a search hit. The core chooses and answers with the conversation as now shown.
 */
import * as ipc from "../../../ipc";
import type { ConversationDetail, Message } from "../../../ipc";
import { useChatStore } from "./chatStore";

/** Shows `detail` when its conversation is still the one open. */
function showBranch(detail: ConversationDetail): void {
  if (useChatStore.getState().currentId !== detail.conversation.id) return;
  useChatStore.setState({ detail, loadStatus: "ready", loadError: null });
}

/** Shows the version `step` places from `message` (1: the next, -1: the one before). */
export async function switchVersion(message: Message, step: 1 | -1): Promise<void> {
  try {
    showBranch(await ipc.switchVersion(message.id, step));
  } catch (error) {
    if (useChatStore.getState().currentId === message.conversationId) {
      useChatStore.setState({ error: ipc.toIpcError(error) });
    }
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
