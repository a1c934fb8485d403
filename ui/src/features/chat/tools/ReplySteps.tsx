import { useMemo } from "react";
import type { Part } from "../../../ipc";
import { Markdown } from "../components/Markdown";
import { ThinkingBlock } from "../components/ThinkingBlock";
import type { OpenToolCall } from "../store/toolSteps";
import { ApprovalCard } from "./ApprovalCard";
import { segmentsOf } from "./segments";
import { ToolCallRow } from "./ToolCallRow";

/**
 * A reply's steps in order: its thinking, its text as markdown, and a row per tool call
 * (or, for a call that waits for the person, its approval card). Used for a stored reply
 * with tool steps and for the finished steps of one streaming now.
 */
export function ReplySteps({
  parts,
  openCalls,
  conversationId,
}: {
  parts: Part[];
  /** While the reply streams: its calls without a result. */
  openCalls?: Record<string, OpenToolCall>;
  /** While the reply streams: its conversation (for answers and stop). */
  conversationId?: string;
}) {
  const segments = useMemo(() => segmentsOf(parts), [parts]);
  const waiting = (callId: string) =>
    conversationId !== undefined && openCalls?.[callId]?.status === "awaiting_approval";
  const firstWaiting = segments.find((s) => s.kind === "tool" && waiting(s.call.callId));

  return (
    <>
      {segments.map((segment, index) => {
        switch (segment.kind) {
          case "reasoning":
            return (
              <ThinkingBlock
                key={index}
                text={segment.text}
                live={false}
                durationMs={segment.durationMs}
              />
            );
          case "text":
            return <Markdown key={index} text={segment.text} />;
          case "tool": {
            const { call, result } = segment;
            const open = result ? undefined : openCalls?.[call.callId];
            return conversationId !== undefined && waiting(call.callId) ? (
              <ApprovalCard
                key={`tool-${call.callId}`}
                call={call}
                conversationId={conversationId}
                answering={open?.answering ?? false}
                takesFocus={segment === firstWaiting}
              />
            ) : (
              <ToolCallRow
                key={`tool-${call.callId}`}
                call={call}
                result={result}
                open={open}
                conversationId={conversationId}
              />
            );
          }
        }
      })}
    </>
  );
}
