/**
 * The person's answer to a tool call the open reply waits on (the approval card). The call
 * is marked as answered at once, so a second key press sends nothing; the stream's next
 * event about it (running, or its result) moves it on.
 */
import * as ipc from "../../../ipc";
import type { ToolDecision } from "../../../ipc";
import { useChatStore } from "./chatStore";
import { withAnswering } from "./toolSteps";

/** Marks `callId` of the stream `key` in `conversationId` as answered or not. */
function mark(conversationId: string, key: number, callId: string, on: boolean): void {
  useChatStore.setState((state) => {
    const stream = state.streams[conversationId];
    if (stream?.key !== key) return {};
    return { streams: { ...state.streams, [conversationId]: withAnswering(stream, callId, on) } };
  });
}

export async function answerToolCall(
  conversationId: string,
  callId: string,
  decision: ToolDecision,
): Promise<void> {
  const stream = useChatStore.getState().streams[conversationId];
  const open = stream?.openCalls[callId];
  if (!stream?.streamId || open?.status !== "awaiting_approval" || open.answering) return;
  mark(conversationId, stream.key, callId, true);
  try {
    await ipc.answerToolCall(stream.streamId, callId, decision);
  } catch (error) {
    mark(conversationId, stream.key, callId, false);
    const ipcError = ipc.toIpcError(error);
    // The reply ended or was stopped meanwhile: its own events say how.
    if (ipcError.code !== "not_found") useChatStore.setState({ error: ipcError });
  }
}
