import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextArea } from "../../../components/ui/TextArea";
import { SendIcon, StopIcon } from "../../../components/ui/icons";
import { errorDetails, errorText } from "../../../i18n/errorText";
import type { Agent } from "../../../ipc";
import { Greeting, SuggestedQuestions } from "../../chat/components/AgentWelcome";
import { Markdown } from "../../chat/components/Markdown";
import { StreamingMessage } from "../../chat/components/StreamingMessage";
import { useTrial, type TrialTurn } from "../hooks/useTrial";
import { parseDraft, type AgentDraft, type FieldErrors } from "./agentDraft";
import { placeCoreErrors } from "./agentErrors";

/** What a try-out checks of the draft: what a request uses. */
const ALL_FIELDS = new Set([
  "model",
  "preset_messages",
  "params.temperature",
  "params.top_p",
  "params.max_tokens",
  "params.presence_penalty",
  "params.frequency_penalty",
  "context_policy.maxMessages",
  "context_policy.maxContextTokens",
]);

function Turn({ turn }: { turn: TrialTurn }) {
  const { t } = useTranslation();
  if (turn.role === "user") {
    return (
      <article className="message message--user" data-testid="try-message">
        <div className="message__body message__plain">{turn.content}</div>
      </article>
    );
  }
  return (
    <article className="message message--assistant" data-testid="try-message">
      {turn.content ? (
        <div className="message__body">
          <Markdown text={turn.content} />
        </div>
      ) : null}
      {turn.state === "cancelled" ? (
        <p className="try-pane__note">{t("tryAgent.stopped")}</p>
      ) : null}
      {turn.error ? (
        <Notice
          title={errorText(t, turn.error)}
          details={errorDetails(turn.error) ?? undefined}
          data-testid="try-error"
        />
      ) : null}
    </article>
  );
}

/**
 * The agent editor's "try it" pane: a chat with the draft as it is now (its provider, model,
 * parameters and preset messages), stored nowhere. Greetings are shown, never sent.
 */
export function TryPane({
  draft,
  agent,
  onEdit,
}: {
  draft: AgentDraft;
  agent: Agent | null;
  /** Shows the editor's fields, with these errors beside them. */
  onEdit: (errors: FieldErrors) => void;
}) {
  const { t } = useTranslation();
  const { turns, stream, failure, send, stop, clear, dismissFailure } = useTrial();
  const [text, setText] = useState("");
  const [draftInvalid, setDraftInvalid] = useState<FieldErrors | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const streaming = stream !== null;

  useEffect(() => {
    // Only the log scrolls (scrollIntoView would scroll the dialog and the page too).
    const box = log.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [turns, stream?.text]);

  const ask = async (question: string) => {
    if (question.trim() === "" || streaming) return;
    const { input, errors } = parseDraft(draft, agent);
    if (Object.keys(errors).length > 0) {
      setDraftInvalid(errors);
      return;
    }
    setDraftInvalid(null);
    setText("");
    if (!(await send(question, input))) setText(question);
  };

  const greetings = draft.greetings.filter((g) => g.trim() !== "");
  const questions = draft.suggestedQuestions.filter((q) => q.trim() !== "");

  return (
    <section className="try-pane" aria-label={t("tryAgent.title")} data-testid="try-pane">
      <div className="try-pane__head">
        <p className="field-hint">{t("tryAgent.hint")}</p>
        <Button
          size="sm"
          variant="ghost"
          disabled={turns.length === 0 && !streaming && !failure}
          onClick={() => {
            clear();
            setText("");
          }}
          data-testid="try-clear"
        >
          {t("tryAgent.clear")}
        </Button>
      </div>
      <div className="try-pane__log" aria-live="polite" ref={log}>
        {greetings.map((greeting, index) => (
          <Greeting key={`g${index}`} text={greeting} testId="try-greeting" />
        ))}
        {turns.map((turn) => (
          <Turn key={turn.id} turn={turn} />
        ))}
        {stream ? <StreamingMessage stream={stream} /> : null}
        {turns.length === 0 && !streaming && questions.length > 0 ? (
          <SuggestedQuestions
            questions={questions}
            onAsk={(question) => void ask(question)}
            testId="try-suggested"
          />
        ) : null}
        {turns.length === 0 && !streaming && greetings.length === 0 && questions.length === 0 ? (
          <p className="try-pane__empty">{t("tryAgent.empty")}</p>
        ) : null}
      </div>
      {draftInvalid ? (
        <Notice
          title={t("tryAgent.fixDraft")}
          actions={
            <Button
              size="sm"
              onClick={() => {
                onEdit(draftInvalid);
                setDraftInvalid(null);
              }}
            >
              {t("tryAgent.backToEdit")}
            </Button>
          }
          data-testid="try-draft-invalid"
        />
      ) : null}
      {failure ? (
        <Notice
          title={errorText(t, failure)}
          details={errorDetails(failure) ?? undefined}
          dismissLabel={t("chat.dismiss")}
          onDismiss={dismissFailure}
          actions={
            failure.code === "invalid_input" ? (
              <Button
                size="sm"
                onClick={() => {
                  // Problems of the draft go beside their fields; others stay here.
                  onEdit(placeCoreErrors(failure.problems, ALL_FIELDS).fields);
                }}
              >
                {t("tryAgent.backToEdit")}
              </Button>
            ) : undefined
          }
          data-testid="try-failure"
        />
      ) : null}
      <div className="try-pane__composer">
        <TextArea
          aria-label={t("tryAgent.input")}
          placeholder={t("tryAgent.placeholder")}
          value={text}
          rows={1}
          maxHeight={160}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void ask(text);
            }
          }}
          data-testid="try-input"
        />
        {streaming ? (
          <Button
            icon={<StopIcon />}
            disabled={stream.stopping}
            onClick={stop}
            data-testid="try-stop"
          >
            {t("tryAgent.stop")}
          </Button>
        ) : (
          <Button
            variant="primary"
            icon={<SendIcon />}
            disabled={text.trim() === ""}
            onClick={() => void ask(text)}
            data-testid="try-send"
          >
            {t("tryAgent.send")}
          </Button>
        )}
      </div>
    </section>
  );
}
