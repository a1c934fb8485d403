/** The per-conversation switch for the agent's tools (the chat header's "Tools"). */
import * as ipc from "../../../ipc";
import { useChatStore } from "./chatStore";

/**
 * Turns the agent's tools on or off in `conversationId` (from its next reply on) and shows
 * the stored conversation; a refusal goes to the error banner.
 */
export async function setConversationTools(
  conversationId: string,
  enabled: boolean,
): Promise<void> {
  try {
    const conversation = await ipc.setConversationTools(conversationId, enabled);
    useChatStore.setState(({ detail }) =>
      detail?.conversation.id === conversationId ? { detail: { ...detail, conversation } } : {},
    );
  } catch (error) {
    useChatStore.setState({ error: ipc.toIpcError(error) });
  }
}
