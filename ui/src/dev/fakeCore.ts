/**
 * A fake core for working on the UI in a plain browser: `npm run dev:ui`, then open
 * http://localhost:1420/?fake. It answers the same commands as the Rust core from memory
 * and streams canned replies. Loaded only by the dev server; production builds drop it.
 *
 * Each domain lives in its own module; this one gathers their handlers into one
 * `CoreHandlers`, so `tsc` fails when a command of `bindings.ts` has no answer here or an
 * answer has the wrong shape.
 */
import type { Conversation } from "../ipc";
import { createAttachments } from "./fakeAttachments";
import { createCatalog } from "./fakeCatalog";
import { createConversationOps } from "./fakeConversationOps";
import { createData } from "./fakeData";
import { addHostileData, addStressData } from "./fakeHostile";
import { addLargeData, pageOf } from "./fakeLong";
import { createKnowledge } from "./fakeKnowledge";
import { addKnowledgeSamples } from "./fakeKnowledgeSamples";
import { createMcp } from "./fakeMcp";
import { createMcpComposer } from "./fakeMcpComposer";
import { createPrices } from "./fakePrices";
import { replyOf, sampleData } from "./fakeSamples";
import { createSettings } from "./fakeSettings";
import { fakeStats } from "./fakeStats";
import { createStorage } from "./fakeStorage";
import { createUpdates } from "./fakeUpdates";
import { createStreams } from "./fakeStreams";
import { addToolSamples, toolsOf } from "./fakeTools";
import { emitEvent, installCore, rejectWith as fail, type CoreHandlers } from "./typedCore";

export { applyScenario } from "./fakeScenario";

/** The raw request and response a reply would keep under debug capture. */
const DEBUG_CAPTURE = JSON.stringify(
  {
    request: {
      url: "https://api.openai.com/v1/chat/completions",
      body: { model: "gpt-4o-mini", stream: true },
    },
    response: {
      chunks: [
        {
          object: "chat.completion.chunk",
          choices: [{ index: 0, delta: { content: "Hi" } }],
        },
      ],
      chunksNotKept: 0,
    },
  },
  null,
  2,
);

export interface FakeCoreOptions {
  chinese: boolean;
  withKey: boolean;
  params: URLSearchParams;
}

export function installFakeCore({ chinese, withKey, params }: FakeCoreOptions): void {
  const { conversations, messages } = sampleData(Date.now(), chinese);
  addLargeData(params, Date.now(), chinese, conversations, messages);
  addHostileData(params, chinese, conversations, messages);
  addStressData(params, Date.now(), conversations, messages);
  // New messages come after every sample one, the long conversation's included.
  let seq = 1000 + [...messages.values()].flat().reduce((max, m) => Math.max(max, m.seq), 0);
  const nextSeq = () => ++seq;

  const attachments = createAttachments(chinese);
  if (params.has("attachments")) attachments.addSamples(conversations, messages, Date.now());
  const catalog = createCatalog(chinese);
  // `&nokey`: the default provider (the built-in one) starts without a key.
  if (!withKey) catalog.clearProviderApiKey("prov-1");
  const settings = createSettings(params);
  const readiness = () => {
    const providerId = settings.defaultProviderId();
    if (!providerId) return "no_provider" as const;
    return catalog.getProviderKeyStatus(providerId).set ? null : ("no_api_key" as const);
  };
  /** Where the conversation's requests go, as the core routes them. */
  const routeOf = (conversationId: string) => {
    const agentId = conversations.find((c) => c.id === conversationId)?.agentId;
    const agent = agentId ? catalog.listAgents().find((a) => a.id === agentId) : undefined;
    const providerId = agent?.providerId ?? settings.defaultProviderId();
    const provider = catalog.listProviders().find((p) => p.id === providerId);
    const model = agent?.model || provider?.defaultModel;
    return provider && model ? { providerId: provider.id, model } : null;
  };
  // `?tools`: an agent with a tool server and a conversation of it (see `fakeTools.ts`).
  if (params.has("tools")) {
    addToolSamples(catalog.createAgent, conversations, messages, chinese, Date.now());
  }
  // `?knowledge`: a conversation whose replies cite passages (see `fakeKnowledge.ts`).
  const knowledge = createKnowledge(chinese, params, Date.now());
  if (params.has("knowledge")) {
    addKnowledgeSamples(conversations, messages, chinese, knowledge.firstBaseName, Date.now());
  }
  const streams = createStreams(
    { conversations, messages, chinese, params, reply: replyOf(params, chinese), nextSeq },
    readiness,
    (conversationId, parts) => attachments.accept(parts, routeOf(conversationId)),
    (conversationId) =>
      toolsOf(
        conversations.find((c) => c.id === conversationId),
        catalog.listAgents(),
      ),
    (conversationId) =>
      knowledge.retrievedOf(
        conversationId,
        conversations.find((c) => c.id === conversationId)?.agentId ?? null,
      ),
  );

  const newConversation = (agentId: string | null, title: string | null): Conversation => {
    const now = Date.now();
    const conversation: Conversation = {
      id: `fake-${nextSeq()}`,
      agentId,
      title: title ?? "",
      status: "active",
      pinned: false,
      toolsEnabled: true,
      createdAt: now,
      updatedAt: now,
    };
    conversations.push(conversation);
    return conversation;
  };

  const handlers: CoreHandlers = {
    ...catalog,
    ...createStorage(params, () => 18_400_000 + attachments.totalBytes()),
    ...attachments.handlers,
    // `?dialogCancel`: the file picker chooses nothing.
    ...(params.has("dialogCancel") ? { chooseAttachmentPaths: () => [] } : {}),
    ...createData(conversations, messages, params),
    ...createConversationOps(conversations, messages, chinese, streams.isStreaming),
    ...settings.handlers,
    ...createUpdates(params),
    ...createPrices(),
    ...createMcp(),
    ...knowledge.handlers,
    ...createMcpComposer(conversations, catalog.listAgents, attachments.handlers.attachBytes),
    ...streams.handlers,
    listMessages: (conversationId, beforeId, limit) =>
      pageOf(messages.get(conversationId) ?? [], beforeId, limit),
    getConversation: (id) => {
      const conversation = conversations.find((c) => c.id === id);
      if (!conversation) return fail("not_found", `no conversation ${id}`);
      // The core opens a conversation with its latest 200 messages.
      return { conversation, ...pageOf(messages.get(id) ?? [], null, 200) };
    },
    createConversation: (title) => newConversation(null, title),
    branchConversation: (messageId, title) => {
      const source = [...messages.entries()].find(([, list]) =>
        list.some((m) => m.id === messageId),
      );
      if (!source) return fail("not_found", `no message ${messageId}`);
      const [sourceId, list] = source;
      const from = conversations.find((c) => c.id === sourceId);
      const copy = newConversation(from?.agentId ?? null, title);
      const upTo = list.find((m) => m.id === messageId)!.seq;
      messages.set(
        copy.id,
        list
          .filter((m) => m.seq <= upTo)
          .map((m) => ({ ...m, id: `${m.id}-${copy.id}`, conversationId: copy.id })),
      );
      return copy;
    },
    createConversationWithAgent: (_title, agentId) => newConversation(agentId, null),
    getConversationAgent: (conversationId) => {
      const conversation = conversations.find((c) => c.id === conversationId);
      return conversation?.agentId ? catalog.getAgent(conversation.agentId) : null;
    },
    deleteConversation: (id) => {
      const index = conversations.findIndex((c) => c.id === id);
      if (index >= 0) conversations.splice(index, 1);
      return null;
    },
    getStats: (days) => fakeStats(days, chinese, params.has("nostats")),
    getMessageDebug: () => DEBUG_CAPTURE,
  };
  installCore(handlers);
  // The browser tests drop files on the window through this, as the shell reports a drop.
  Object.assign(window, { __fakeEmit: emitEvent });
}
