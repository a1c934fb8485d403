import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import type { Message } from "../../../ipc";
import { useChatStore, type StreamState } from "../store/chatStore";
import { useJumpTo } from "../hooks/useJumpTo";
import { MessageBoundary } from "../../crash/components/CrashFallbacks";
import { Greeting } from "./AgentWelcome";
import { MessageBubble } from "./MessageBubble";
import { StreamingMessage } from "./StreamingMessage";

/** Within this many pixels of the bottom the view follows new text; further up it stays put. */
const FOLLOW_THRESHOLD = 80;
/** Within this many pixels of the top, older messages are loaded. */
const LOAD_OLDER_THRESHOLD = 400;
/** A first guess at a row's height, before it is measured. */
const ESTIMATED_ROW = 140;
/** Space above the first row and below the last, in pixels (the rows carry their own gap). */
const PADDING_START = 24;
const PADDING_END = 8;

/** Roles shown in the transcript; system and tool messages get their own views later. */
function isVisible(message: Message): boolean {
  return message.role === "user" || message.role === "assistant";
}

type Row =
  | { key: string; kind: "greeting"; text: string }
  | { key: string; kind: "message"; message: Message }
  | { key: string; kind: "pending"; text: string }
  | { key: string; kind: "stream"; stream: StreamState };

export function MessageList({
  messages: currentMessages,
  stream: currentStream,
  hasMore = false,
  greetings = [],
}: {
  messages: Message[];
  stream: StreamState | null;
  /** Older messages exist: scrolling to the top loads them. */
  hasMore?: boolean;
  /** The agent's greetings: the first bubbles, once the start of the conversation is loaded. */
  greetings?: string[];
}) {
  const { t } = useTranslation();
  // With a long reply, drawn from deferred copies: when it is stored, the stored message
  // replaces the streamed one, and drawing it (all its blocks' DOM) is rendered in the
  // background, in slices, while the streamed copy stays on screen — not in one long frame.
  const deferredMessages = useDeferredValue(currentMessages);
  const deferredStream = useDeferredValue(currentStream);
  const heavy = Math.max(currentStream?.text.length ?? 0, deferredStream?.text.length ?? 0) > 4096;
  const messages = heavy ? deferredMessages : currentMessages;
  const stream = heavy ? deferredStream : currentStream;
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const olderStatus = useChatStore((s) => s.olderStatus);

  // A regenerate or an edit & resend replaces the tail of the conversation.
  const replacesFrom = stream?.replacesFromSeq ?? null;
  const rows: Row[] = hasMore
    ? []
    : greetings.map((text, index) => ({ key: `greeting-${index}`, kind: "greeting", text }));
  for (const message of messages) {
    if (isVisible(message) && (replacesFrom === null || message.seq < replacesFrom)) {
      rows.push({ key: message.id, kind: "message", message });
    }
  }
  const lastId = stream ? null : rows.at(-1)?.key;
  if (stream?.pendingUserText) {
    rows.push({ key: "pending", kind: "pending", text: stream.pendingUserText });
  }
  if (stream) rows.push({ key: "stream", kind: "stream", stream });
  const busy = stream !== null;

  // The virtualizer is read afresh on every render and never passed to memoized children.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW,
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    paddingStart: PADDING_START,
    paddingEnd: PADDING_END,
    // Rows put in front (older messages) keep the row on screen in place; rows added at
    // the end are followed while the view is at the end.
    anchorTo: "end",
    followOnAppend: true,
    scrollEndThreshold: FOLLOW_THRESHOLD,
  });

  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const loadOlder = useCallback(() => void useChatStore.getState().loadOlder(), []);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_THRESHOLD;
      following.current = nearBottom;
      setAtBottom(nearBottom);
      if (hasMore && el.scrollTop < LOAD_OLDER_THRESHOLD) loadOlder();
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [hasMore, loadOlder]);

  // Follow the stream (and the end of a newly opened conversation) while at the bottom.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (following.current) scrollToBottom();
  }, [
    totalSize,
    rows.length,
    stream?.text,
    stream?.pendingUserText,
    stream?.status,
    scrollToBottom,
  ]);

  // Sending a message jumps to the bottom, wherever the view was.
  const sending = Boolean(stream?.pendingUserText);
  useLayoutEffect(() => {
    if (!sending) return;
    following.current = true;
    setAtBottom(true);
    scrollToBottom();
  }, [sending, scrollToBottom]);

  // A search result asked for a message: show it in the middle and mark it for a moment.
  const highlighted = useJumpTo(rows, (index) => {
    following.current = false;
    setAtBottom(false);
    virtualizer.scrollToIndex(index, { align: "center" });
  });

  const items = virtualizer.getVirtualItems();

  return (
    <div className="transcript-frame">
      <div
        className="transcript"
        ref={scroller}
        data-scroller=""
        data-testid="transcript"
        tabIndex={0}
        role="region"
        aria-label={t("transcript.label")}
      >
        <div className="transcript__column">
          <div className="transcript__rows" style={{ height: totalSize }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={item.key}
                  className={rowClass(row, highlighted)}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {row.kind === "greeting" ? (
                    <Greeting text={row.text} />
                  ) : row.kind === "message" ? (
                    <MessageBoundary resetKey={row.message}>
                      <MessageBubble
                        message={row.message}
                        isLast={row.key === lastId}
                        busy={busy}
                      />
                    </MessageBoundary>
                  ) : row.kind === "pending" ? (
                    <article className="message message--user message--pending" aria-busy="true">
                      <div className="message__body">
                        <p className="message__plain">{row.text}</p>
                      </div>
                    </article>
                  ) : (
                    <MessageBoundary>
                      <StreamingMessage stream={row.stream} />
                    </MessageBoundary>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {olderStatus === "loading" ? (
        <p className="transcript__older" role="status">
          {t("transcript.loadingOlder")}
        </p>
      ) : olderStatus === "error" ? (
        <p className="transcript__older" role="alert">
          {t("transcript.olderFailed")}
          <Button size="sm" onClick={loadOlder}>
            {t("transcript.retry")}
          </Button>
        </p>
      ) : null}
      {atBottom ? null : (
        <button
          type="button"
          className="transcript__jump"
          data-testid="jump-to-latest"
          onClick={() => {
            following.current = true;
            setAtBottom(true);
            scrollToBottom();
          }}
        >
          {t("transcript.jumpToLatest")}
        </button>
      )}
    </div>
  );
}

function rowClass(row: Row, highlighted: number | null): string {
  if (row.kind !== "message") return "transcript__row";
  let name = "transcript__row";
  // Excluded messages stay in the transcript but are not sent with the next request.
  if (!row.message.inContext) name += " transcript__row--excluded";
  if (row.message.seq === highlighted) name += " transcript__row--highlight";
  return name;
}
