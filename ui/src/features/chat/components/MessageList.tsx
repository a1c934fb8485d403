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
  }, [messages, stream?.text, stream?.pendingUserText]);

  return (
    <div className="transcript" ref={scroller}>
      <div className="transcript__column">
        {messages.filter(isVisible).map((message) => (
          <MessageBubble key={message.id} message={message} />
        ))}
        {stream?.pendingUserText ? (
          <article className="message message--user message--pending" aria-busy="true">
            <div className="message__body">
              <p className="message__plain">{stream.pendingUserText}</p>
            </div>
          </article>
        ) : null}
        {stream ? <StreamingMessage text={stream.text} /> : null}
      </div>
    </div>
  );
}
