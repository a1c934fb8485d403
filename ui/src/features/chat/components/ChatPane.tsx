import { useEffect } from "react";
import type { ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorText } from "../../../i18n/errorText";
import { displayTitle, useConversationsStore } from "../../conversations/store/conversationsStore";
import { useTranscriptKeys } from "../hooks/useTranscriptKeys";
import { selectCurrentStream, useChatStore } from "../store/chatStore";
import { ContextButton } from "../../context/components/ContextButton";
import { ContextDrawer } from "../../context/components/ContextDrawer";
import { AgentBadge } from "../../agents/components/AgentBadge";
import { agentGreetings } from "../../agents/store/agentsStore";
import { AgentWelcome } from "./AgentWelcome";
import { Composer } from "./Composer";
import { EmptyState } from "./EmptyState";
import { ErrorBanner } from "./ErrorBanner";
import { MessageList } from "./MessageList";
import { ToolsToggle } from "../tools/ToolsToggle";
import { KnowledgePicker } from "../../knowledge/components/KnowledgePicker";

export function ChatPane() {
  const { t } = useTranslation();
  const currentId = useChatStore((s) => s.currentId);
  const detail = useChatStore((s) => s.detail);
  const loadStatus = useChatStore((s) => s.loadStatus);
  const loadError = useChatStore((s) => s.loadError);
  const error = useChatStore((s) => s.error);
  // Whether a reply streams, not the reply itself: its text changes with every delta, and
  // only the transcript (`LiveMessageList`) has anything to redraw for that.
  const streaming = useChatStore((s) => selectCurrentStream(s) !== null);
  const stopping = useChatStore((s) => selectCurrentStream(s)?.stopping ?? false);
  const agent = useChatStore((s) => s.agent);
  // The list has the latest title (a rename from the sidebar), when the conversation is in it.
  const listed = useConversationsStore((s) => s.items.find((c) => c.id === currentId));
  const { open, send, stop, dismissError } = useChatStore.getState();
  useTranscriptKeys();

  // Esc stops the reply streaming in the open conversation, unless a dialog or an editor
  // has the key.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[role="dialog"], [role="alertdialog"]')) return;
      const state = useChatStore.getState();
      if (!selectCurrentStream(state)) return;
      event.preventDefault();
      void state.stop();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const hasTranscript = detail !== null && (detail.messages.length > 0 || streaming);

  let body;
  if (currentId !== null && loadStatus === "loading") {
    body = (
      <div className="chat__center">
        <Spinner label={t("chat.loading")} />
      </div>
    );
  } else if (currentId !== null && loadStatus === "error" && loadError) {
    body = (
      <div className="chat__center">
        <Notice
          className="chat__load-error"
          title={t("chat.loadFailed")}
          details={errorText(t, loadError)}
          actions={
            <Button size="sm" onClick={() => void open(currentId)}>
              {t("chat.retry")}
            </Button>
          }
        />
      </div>
    );
  } else if (hasTranscript) {
    body = (
      <LiveMessageList
        messages={detail.messages}
        hasMore={detail.hasMore}
        greetings={agentGreetings(agent)}
      />
    );
  } else if (detail !== null && agent !== null) {
    body = <AgentWelcome agent={agent} onAsk={(text) => void send(text)} disabled={false} />;
  } else {
    body = (
      <div className="chat__center">
        <EmptyState />
      </div>
    );
  }

  return (
    <main className="chat" aria-busy={streaming}>
      {detail ? (
        <header className="chat__header">
          <h2 className="chat__title">
            {displayTitle(listed ?? detail.conversation, t("conversations.untitled"))}
          </h2>
          {agent ? <AgentBadge agent={agent} /> : null}
          <ToolsToggle conversation={detail.conversation} agent={agent} />
          <KnowledgePicker
            key={detail.conversation.id}
            conversation={detail.conversation}
            agent={agent}
          />
          <ContextButton conversationId={detail.conversation.id} />
        </header>
      ) : null}
      {body}
      <ContextDrawer />
      <div className="chat__footer">
        {error ? <ErrorBanner error={error} onDismiss={dismissError} /> : null}
        <Composer
          onSend={send}
          busy={streaming}
          onStop={() => void stop()}
          stopping={stopping}
          conversationId={currentId}
          mcp={Boolean(detail?.conversation.toolsEnabled && agent?.tools.servers?.length)}
        />
      </div>
    </main>
  );
}

/** The transcript with the reply streaming into it: the one part redrawn for each delta. */
function LiveMessageList(props: Omit<ComponentProps<typeof MessageList>, "stream">) {
  const stream = useChatStore(selectCurrentStream);
  return <MessageList {...props} stream={stream} />;
}
