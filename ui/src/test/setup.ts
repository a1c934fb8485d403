import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeAll } from "vitest";
import { useAgentEditor } from "../features/agents/store/agentEditorStore";
import { useAgentsStore } from "../features/agents/store/agentsStore";
import { useChatStore } from "../features/chat/store/chatStore";
import { useConversationsStore } from "../features/conversations/store/conversationsStore";
import { useProvidersPage } from "../features/providers/store/providersPageStore";
import { useSettingsDialog } from "../features/settings/store/settingsDialogStore";
import { usePreferences } from "../features/settings/store/preferencesStore";
import { i18n, initI18n } from "../i18n";

// Stores are module singletons; every test starts from their initial state.
const initialStates = [
  [useChatStore, useChatStore.getState()],
  [useConversationsStore, useConversationsStore.getState()],
  [useSettingsDialog, useSettingsDialog.getState()],
  [useProvidersPage, useProvidersPage.getState()],
  [useAgentsStore, useAgentsStore.getState()],
  [useAgentEditor, useAgentEditor.getState()],
  [usePreferences, usePreferences.getState()],
] as const;

beforeAll(async () => {
  await initI18n("en");
});

afterEach(async () => {
  cleanup();
  clearMocks();
  window.sessionStorage.clear();
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  if (i18n.language !== "en") await i18n.changeLanguage("en");
  for (const [store, state] of initialStates) {
    (store.setState as (s: typeof state, replace: true) => void)(state, true);
  }
});
