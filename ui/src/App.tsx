import { useEffect } from "react";
import { AdminDialog } from "./features/admin/components/AdminDialog";
import { AgentEditorDialog } from "./features/agents/components/AgentEditorDialog";
import { ChatPane } from "./features/chat/components/ChatPane";
import { useChatStore } from "./features/chat/store/chatStore";
import { Sidebar } from "./features/conversations/components/Sidebar";
import { useConversationsStore } from "./features/conversations/store/conversationsStore";
import { KnowledgeDialog } from "./features/knowledge/components/KnowledgeDialog";
import { McpDialog } from "./features/mcp/components/McpDialog";
import { ProvidersDialog } from "./features/providers/components/ProvidersDialog";
import { SettingsDialog } from "./features/settings/components/SettingsDialog";
import { UpdateNotice } from "./features/settings/components/UpdateNotice";
import { DataDialog } from "./features/data/components/DataDialog";
import { usePreferences } from "./features/settings/store/preferencesStore";
import { OpeningScreen } from "./features/startup/components/OpeningScreen";
import { RecoveryScreen } from "./features/startup/components/RecoveryScreen";
import { RestoredNotice } from "./features/startup/components/RestoredNotice";
import { useStartup } from "./features/startup/store/startupStore";

/** How the database came up decides what opens: the app, or the recovery screen. */
export function App() {
  const { phase, status } = useStartup();

  useEffect(() => {
    void useStartup.getState().load();
  }, []);

  if (phase === "checking") return <OpeningScreen />;
  if (status?.state.kind === "recovery_needed") return <RecoveryScreen status={status} />;
  return <MainApp />;
}

function MainApp() {
  useEffect(() => {
    // Language and theme from the core (local storage has already applied last run's).
    void usePreferences.getState().load();
    void useConversationsStore.getState().load();
    // After a reload: the conversation that was open, and replies still streaming.
    void useChatStore.getState().restore();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "n") {
        event.preventDefault();
        void useChatStore.getState().newConversation();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <div className="app">
      <Sidebar />
      <ChatPane />
      <RestoredNotice />
      <UpdateNotice />
      <SettingsDialog />
      <DataDialog />
      <ProvidersDialog />
      <McpDialog />
      <KnowledgeDialog />
      <AgentEditorDialog />
      <AdminDialog />
    </div>
  );
}
