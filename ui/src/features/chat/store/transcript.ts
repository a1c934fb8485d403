/**
 * The open conversation's transcript as pure functions: messages put in by events, older
 * pages put in front, titles and edits from elsewhere. `chatStore` applies them.
 */
import type { ConversationDetail, Message, MessagePage } from "../../../ipc";

/** How many older messages one scroll to the top brings. */
export const OLDER_PAGE = 200;

/**
 * Puts `message` into the transcript, which shows one branch: it takes the place of the
 * message at its depth (itself, after a reload during a stream, or another version of it:
 * a regenerated reply, an edited message). Messages after it are dropped with `dropLater`:
 * `started` of a regenerate or an edit & resend brings the user message whose branch
 * begins anew.
 */
export function withMessage(
  detail: ConversationDetail,
  message: Message,
  dropLater = false,
): ConversationDetail {
  const messages = detail.messages.filter(
    (m) => m.id !== message.id && m.seq !== message.seq && !(dropLater && m.seq > message.seq),
  );
  messages.push(message);
  messages.sort((a, b) => a.seq - b.seq);
  return { ...detail, messages };
}

/** `fresh` (the latest page) after the messages of `current` older than all of it. */
export function withOlderKept(
  current: ConversationDetail,
  fresh: ConversationDetail,
): ConversationDetail {
  const firstFresh = fresh.messages[0]?.seq;
  if (firstFresh === undefined || !fresh.hasMore) return fresh;
  const older = current.messages.filter((m) => m.seq < firstFresh);
  if (older.length === 0) return fresh;
  return { ...fresh, messages: [...older, ...fresh.messages], hasMore: current.hasMore };
}

/** `page` (older messages) in front of those shown, without any shown twice. */
export function withOlderPage(detail: ConversationDetail, page: MessagePage): ConversationDetail {
  const known = new Set(detail.messages.map((m) => m.id));
  return {
    ...detail,
    messages: [...page.messages.filter((m) => !known.has(m.id)), ...detail.messages],
    hasMore: page.hasMore,
  };
}

export function withTitle(detail: ConversationDetail, title: string): ConversationDetail {
  return { ...detail, conversation: { ...detail.conversation, title } };
}

/** The stored version of a message shown (changed elsewhere, e.g. in the context drawer). */
export function withReplaced(detail: ConversationDetail, message: Message): ConversationDetail {
  return { ...detail, messages: detail.messages.map((m) => (m.id === message.id ? message : m)) };
}

/** The transcript without `message` and what hangs below it (the rest of the branch). */
export function withoutMessage(detail: ConversationDetail, message: Message): ConversationDetail {
  return {
    ...detail,
    messages: detail.messages.filter((m) => m.id !== message.id && m.seq < message.seq),
  };
}
