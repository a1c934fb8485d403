/**
 * Scenarios for the fake core (see `fakeCore.ts`): the app put in a state named in the URL.
 */
/**
 * Puts the app in a state named in the URL, for screenshots without clicking:
 * `?fake&open` opens the newest conversation (`open=2` the second), `&send=text` starts a reply (see `Behaviour`
 * for how it goes), `&edit` opens the editor on the first message, `&settings` opens the
 * settings dialog, `&reload` has a reply streaming at start-up, `&nokey` starts without an
 * API key, `&lang=zh-CN` and `&theme=dark` set the stored language and theme, `&long=10000`
 * adds a conversation of that many messages (the newest) and `&convs=10000` that many more
 * conversations (see `fakeLong.ts`); `&attachments` adds a conversation whose first message
 * carries an image and a PDF, `&provider=prov-2` sends to a model that cannot see images
 * (see `fakeAttachments.ts`); `&mcp` opens the MCP servers page; `&knowledge` adds a
 * conversation whose replies cite sources and, without `&open`, opens the knowledge bases
 * page (see `fakeKnowledge.ts`).
 */
export async function applyScenario(params: URLSearchParams): Promise<void> {
  const [{ useChatStore }, { useConversationsStore }, { useSettingsDialog }] = await Promise.all([
    import("../features/chat/store/chatStore"),
    import("../features/conversations/store/conversationsStore"),
    import("../features/settings/store/settingsDialogStore"),
  ]);
  if (params.has("open") || params.has("reload")) {
    await useConversationsStore.getState().load();
    const nth = Math.max(1, Number(params.get("open")) || 1);
    const conversation = useConversationsStore.getState().items[nth - 1];
    if (conversation) await useChatStore.getState().open(conversation.id);
  }
  const agentId = params.get("agent");
  if (agentId) await useChatStore.getState().newConversation(agentId);
  const text = params.get("send");
  if (text) await useChatStore.getState().send(text);
  if (params.has("edit")) {
    // Let React draw the conversation first.
    await new Promise((resolve) => window.setTimeout(resolve, 50));
    document.querySelector<HTMLButtonElement>('[data-testid="edit-message"]')?.click();
  }
  if (params.has("settings")) useSettingsDialog.getState().setOpen(true);
  const editAgent = params.get("editagent");
  if (editAgent) {
    const { useAgentEditor } = await import("../features/agents/store/agentEditorStore");
    useAgentEditor.getState().edit(editAgent);
  }
  const scroll = Number(params.get("scroll"));
  if (scroll > 0) {
    // For screenshots of a long dialog's lower part.
    window.setTimeout(() => {
      document.querySelector(".dialog__body")?.scrollTo(0, scroll);
    }, 300);
  }
  if (params.has("providers")) {
    const { useProvidersPage } = await import("../features/providers/store/providersPageStore");
    useProvidersPage.getState().setOpen(true);
  }
  if (params.has("mcp")) {
    const { useMcp } = await import("../features/mcp/store/mcpStore");
    useMcp.getState().setOpen(true);
  }
  if (params.has("knowledge") && !params.has("open")) {
    const { useKnowledge } = await import("../features/knowledge/store/knowledgeStore");
    useKnowledge.getState().setOpen(true);
  }
}
