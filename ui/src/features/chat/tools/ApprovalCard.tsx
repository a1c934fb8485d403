import { useEffect, useId, useRef, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import type { ToolDecision } from "../../../ipc";
import { answerToolCall } from "../store/toolAnswer";
import { prettyArguments, type ToolCallPart } from "./segments";
import { ToolText } from "./ToolText";

const BUTTONS = [
  { decision: "allow", variant: "primary", label: "chat.tools.allow", testId: "tool-allow" },
  {
    decision: "always_allow",
    variant: "secondary",
    label: "chat.tools.alwaysAllow",
    testId: "tool-always-allow",
  },
  { decision: "deny", variant: "ghost", label: "chat.tools.deny", testId: "tool-deny" },
] as const;

/** The keys of a focused card (case-insensitive letters). */
function decisionOf(event: KeyboardEvent): ToolDecision | null {
  if (event.nativeEvent.isComposing || event.altKey || event.ctrlKey || event.metaKey) return null;
  // Enter on one of the card's buttons presses that button.
  if (event.key === "Enter") return event.target instanceof HTMLButtonElement ? null : "allow";
  if (event.key === "Escape") return "deny";
  switch (event.key.toLowerCase()) {
    case "a":
      return "always_allow";
    case "d":
      return "deny";
    default:
      return null;
  }
}

/**
 * A tool call that waits for the person, inline in the transcript: what would run, with
 * which arguments, and Allow / Always allow / Deny. The first card waiting takes the focus,
 * so the keys work at once.
 */
export function ApprovalCard({
  call,
  conversationId,
  answering,
  takesFocus,
}: {
  call: ToolCallPart;
  conversationId: string;
  /** An answer is on its way: the buttons wait for the stream to move the call on. */
  answering: boolean;
  takesFocus: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const card = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (takesFocus) card.current?.focus();
  }, [takesFocus]);

  const answer = (decision: ToolDecision) =>
    void answerToolCall(conversationId, call.callId, decision);
  const onKeyDown = (event: KeyboardEvent) => {
    const decision = decisionOf(event);
    if (decision === null) return;
    // Esc here answers the card; it does not stop the whole reply.
    event.preventDefault();
    if (!answering) answer(decision);
  };

  return (
    <div
      ref={card}
      className="approval"
      role="group"
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-keys`}
      aria-busy={answering || undefined}
      onKeyDown={onKeyDown}
      data-testid="tool-approval"
      data-call-id={call.callId}
    >
      <div className="approval__head">
        <strong id={`${id}-title`} className="approval__title">
          {t("chat.tools.approvalTitle", { name: call.name })}
        </strong>
        {call.server ? <span className="approval__server">{call.server}</span> : null}
      </div>
      <p className="approval__hint">
        {call.server
          ? t("chat.tools.approvalServer", { server: call.server })
          : t("chat.tools.approvalNoServer")}
      </p>
      <div className="tool-step__label">{t("chat.tools.arguments")}</div>
      {call.arguments.trim() !== "" ? (
        <ToolText text={prettyArguments(call.arguments)} testId="tool-arguments" />
      ) : (
        <p className="tool-step__none">{t("chat.tools.noArguments")}</p>
      )}
      <div className="approval__actions">
        {BUTTONS.map(({ decision, variant, label, testId }) => (
          <Button
            key={decision}
            variant={variant}
            size="sm"
            disabled={answering}
            title={
              decision === "always_allow"
                ? t("chat.tools.alwaysAllowHint", { name: call.name })
                : undefined
            }
            onClick={() => answer(decision)}
            data-testid={testId}
          >
            {t(label)}
          </Button>
        ))}
        <span className="approval__keys" id={`${id}-keys`}>
          {t("chat.tools.approvalKeys")}
        </span>
      </div>
    </div>
  );
}
