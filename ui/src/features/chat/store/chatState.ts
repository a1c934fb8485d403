/** What the chat store holds and offers: the open conversation and this window's replies. */
import type {
  ActiveStream,
  Agent,
  AttachmentPart,
  ConversationDetail,
  IpcError,
  Message,
} from "../../../ipc";
import type { StreamState } from "./streamMachine";

export interface ChatState {
  currentId: string | null;
  detail: ConversationDetail | null;
  loadStatus: "idle" | "loading" | "ready" | "error";
  loadError: IpcError | null;
  /** Loading the messages older than those shown (scrolled to the top of the transcript). */
  olderStatus: "idle" | "loading" | "error";
  /** The agent the open conversation was started from: its greetings show while it is empty. */
  agent: Agent | null;
  /** At most one reply per conversation (the core enforces the same), keyed by conversation. */
  streams: Record<string, StreamState>;
  /** The error banner above the input. */
  error: IpcError | null;

  open: (id: string) => Promise<void>;
  /** Puts the page of messages before the oldest one shown in front of the transcript. */
  loadOlder: () => Promise<void>;
  close: () => void;
  /** Starts a conversation, from `agentId` when given. */
  newConversation: (agentId?: string) => Promise<void>;
  /**
   * Sends `text` and `attachments` in the current conversation, creating one first if none
   * is open. The text may be empty when there are attachments.
   */
  send: (text: string, attachments?: AttachmentPart[]) => Promise<boolean>;
  /** Replaces the last reply of the open conversation with a new one. */
  regenerate: () => Promise<boolean>;
  /** Goes on with the last reply of the open conversation, which ended early. */
  continueReply: () => Promise<boolean>;
  /** Changes a user message (text and attachments) and streams a new reply after it. */
  editAndResend: (
    message: Message,
    text: string,
    attachments?: AttachmentPart[],
  ) => Promise<boolean>;
  /** Stops the reply streaming in a conversation (the open one by default). */
  stop: (conversationId?: string) => Promise<void>;
  /** Follows a reply that was already streaming, e.g. one started before a reload. */
  attach: (stream: ActiveStream) => Promise<void>;
  /** After start-up or a reload: reopens the conversation that was open and re-attaches replies. */
  restore: () => Promise<void>;
  dismissError: () => void;
  /** Shows the stored version of a message changed elsewhere (e.g. the context drawer). */
  replaceMessage: (message: Message) => void;
  /** Drops a message deleted elsewhere from the transcript. */
  removeMessage: (message: Message) => void;
}
