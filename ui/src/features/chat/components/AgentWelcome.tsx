import { useTranslation } from "react-i18next";
import type { Agent } from "../../../ipc";
import {
  agentAvatar,
  agentDescription,
  agentGreetings,
  agentName,
} from "../../agents/store/agentsStore";
import { Markdown } from "./Markdown";

/** An agent's greeting: drawn like a reply, marked as one that was never sent. */
export function Greeting({ text, testId = "greeting" }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <article className="message message--assistant message--greeting" data-testid={testId}>
      <div className="message__body">
        <Markdown text={text} />
      </div>
      <span className="pill message__greeting-badge">{t("agents.greeting")}</span>
    </article>
  );
}

/** An agent's suggested first questions, as chips that ask them. */
export function SuggestedQuestions({
  questions,
  onAsk,
  disabled,
  testId,
}: {
  questions: string[];
  onAsk: (question: string) => void;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="suggested" role="group" aria-label={t("agents.suggested")}>
      {questions.map((question, index) => (
        <button
          key={index}
          type="button"
          className="suggested__chip"
          disabled={disabled}
          onClick={() => onAsk(question)}
          data-testid={testId}
        >
          {question}
        </button>
      ))}
    </div>
  );
}

/**
 * An empty conversation started from an agent: its greetings, drawn like replies but marked
 * as greetings (the core never sends them), and its suggested first questions.
 */
export function AgentWelcome({
  agent,
  onAsk,
  disabled,
}: {
  agent: Agent;
  onAsk: (text: string) => void;
  disabled: boolean;
}) {
  const greetings = agentGreetings(agent);
  const questions = (agent.appPreset.suggestedQuestions ?? []).filter((q) => q.trim() !== "");
  const name = agentName(agent);
  const description = agentDescription(agent);

  return (
    <div className="transcript">
      <div className="transcript__column agent-welcome">
        <header className="agent-welcome__head">
          <span className="agent-welcome__avatar" aria-hidden="true">
            {agentAvatar(agent)}
          </span>
          <div>
            <h1 className="agent-welcome__name">{name}</h1>
            {description ? <p className="agent-welcome__description">{description}</p> : null}
          </div>
        </header>
        {greetings.map((text, index) => (
          <Greeting key={index} text={text} />
        ))}
        {questions.length > 0 ? (
          <SuggestedQuestions
            questions={questions}
            onAsk={onAsk}
            disabled={disabled}
            testId="suggested-question"
          />
        ) : null}
      </div>
    </div>
  );
}
