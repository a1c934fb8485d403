import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeAll } from "vitest";
import { useAdmin } from "../features/admin/store/adminStore";
import { useAgentEditor } from "../features/agents/store/agentEditorStore";
import { useAgentsStore } from "../features/agents/store/agentsStore";
import { forgetImages } from "../features/chat/attachments/imageCache";
import { useChatStore } from "../features/chat/store/chatStore";
import { useJumpStore } from "../features/chat/store/jumpStore";
import { useContextStore } from "../features/context/store/contextStore";
import { useConversationsStore } from "../features/conversations/store/conversationsStore";
import { useSearchStore } from "../features/conversations/store/searchStore";
import { useMcp } from "../features/mcp/store/mcpStore";
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
  [useSearchStore, useSearchStore.getState()],
  [useJumpStore, useJumpStore.getState()],
  [useContextStore, useContextStore.getState()],
  [useAdmin, useAdmin.getState()],
  [useMcp, useMcp.getState()],
] as const;

/**
 * jsdom lays nothing out, so the virtualized lists would show no rows. A stand-in layout:
 * a scrolling box (`data-scroller`) is 1000 px tall and each measured row (`data-index`)
 * 100 px, so about ten rows and the overscan are drawn, as in a window.
 */
function standInLayout(): void {
  const size = (scroller: number, row: number) =>
    function (this: HTMLElement) {
      if (this.hasAttribute("data-scroller")) return scroller;
      if (this.hasAttribute("data-index")) return row;
      return 0;
    };
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { get: size(1000, 0) });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { get: size(800, 0) });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { get: size(1000, 100) });
  Object.defineProperty(HTMLElement.prototype, "offsetWidth", { get: size(800, 800) });
}
standInLayout();

beforeAll(async () => {
  await initI18n("en");
});

afterEach(async () => {
  cleanup();
  clearMocks();
  forgetImages();
  window.sessionStorage.clear();
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  if (i18n.language !== "en") await i18n.changeLanguage("en");
  for (const [store, state] of initialStates) {
    (store.setState as (s: typeof state, replace: true) => void)(state, true);
  }
});
