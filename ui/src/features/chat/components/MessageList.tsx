import { useEffect, useLayoutEffect, useRef } from "react";
import type { Message } from "../../../ipc";
import type { StreamState } from "../store/chatStore";
import { MessageBubble } from "./MessageBubble";
import { StreamingMessage } from "./StreamingMessage";

/** Within this many pixels of the bottom the view follows new text; further up it stays put. */
const FOLLOW_THRESHOLD = 80;

/** Roles shown in the transcript; system and tool messages get their own views later. */
function isVisible(message: Message): boolean {
  return message.role === "user" || message.role === "assistant";
}

export function MessageList({
  messages,
  stream,
}: {
  messages: Message[];
  stream: StreamState | null;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_THRESHOLD;
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [messages, stream?.text, stream?.pendingUserText, stream?.status, stream?.stopping]);

  // A regenerate or an edit & resend replaces the tail of the conversation.
  const replacesFrom = stream?.replacesFromSeq ?? null;
  const shown = messages.filter(
    (m) => isVisible(m) && (replacesFrom === null || m.seq < replacesFrom),
  );
  const lastId = stream ? null : shown.at(-1)?.id;
  const busy = stream !== null;

  return (
    <div className="transcript" ref={scroller}>
      <div className="transcript__column">
        {shown.map((message) => (
          <MessageBubble
            key={message.id}
            message={message}
            isLast={message.id === lastId}
            busy={busy}
          />
        ))}
        {stream?.pendingUserText ? (
          <article className="message message--user message--pending" aria-busy="true">
            <div className="message__body">
              <p className="message__plain">{stream.pendingUserText}</p>
            </div>
          </article>
        ) : null}
        {stream ? <StreamingMessage stream={stream} /> : null}
      </div>
    </div>
  );
}
