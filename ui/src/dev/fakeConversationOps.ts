/**
 * Conversation management, search and context editing for the fake core: the same commands
 * and answers as the Rust core, on the fake core's in-memory conversations and messages.
 */
import { pageOf } from "./fakeLong";
import type {
  ContextOverride,
  Conversation,
  Message,
  PromptMessage,
  SearchHit,
  TemplateInput,
} from "../ipc";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

/** About 4 characters a token for Latin text, one a token for CJK: close enough for a preview. */
function estimateTokens(text: string): number {
  const cjk = (text.match(/[\u3000-\u9fff\uff00-\uffef]/g) ?? []).length;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** The text around the first match, split into plain parts and hit parts. */
function snippetOf(text: string, query: string): SearchHit["snippet"] {
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const first = lower.indexOf(needle);
  const start = Math.max(0, first - 30);
  const end = Math.min(text.length, first + needle.length + 60);
  const parts: SearchHit["snippet"] = [];
  if (start > 0) parts.push({ text: "…", hit: false });
  let at = start;
  while (at < end) {
    const next = lower.indexOf(needle, at);
    if (next < 0 || next >= end) break;
    if (next > at) parts.push({ text: text.slice(at, next), hit: false });
    parts.push({ text: text.slice(next, next + needle.length), hit: true });
    at = next + needle.length;
  }
  if (at < end) parts.push({ text: text.slice(at, end), hit: false });
  if (end < text.length) parts.push({ text: "…", hit: false });
  return parts;
}

export function createConversationOps(
  conversations: Conversation[],
  messages: Map<string, Message[]>,
  chinese: boolean,
  isStreaming: (conversationId: string) => boolean,
) {
  const overrides = new Map<string, ContextOverride>();
  const templates = [
    {
      id: "tpl-concise",
      name: chinese ? "简洁回答" : "Concise answers",
      content: chinese ? "回答要简短，只给结论。" : "Answer briefly; give the conclusion only.",
      isDefault: false,
      createdAt: 0,
      updatedAt: 0,
    },
  ];
  const agentPrompt = chinese ? "你是一个乐于助人的助手。" : "You are a helpful assistant.";

  const find = (id: string) => conversations.find((c) => c.id === id);
  const findMessage = (id: string) => [...messages.values()].flat().find((m) => m.id === id);
  const update = (id: string, change: Partial<Conversation>) => {
    const conversation = find(id);
    if (!conversation) return fail("not_found", `no conversation ${id}`);
    Object.assign(conversation, change);
    return { ...conversation };
  };
  const editable = (id: string): Message | Promise<never> => {
    const message = findMessage(id);
    if (!message) return fail("not_found", `no message ${id}`);
    if (isStreaming(message.conversationId)) {
      return fail("busy", "a reply is streaming in this conversation");
    }
    return message;
  };

  const preview = (conversationId: string) => {
    const override = overrides.get(conversationId) ?? {};
    const sent: PromptMessage[] = [
      { role: "system", content: override.systemPrompt ?? agentPrompt },
      ...(override.presetMessages ?? []),
      ...(messages.get(conversationId) ?? [])
        .filter((m) => m.inContext && m.state === "complete")
        .map((m) => ({ role: m.role, content: m.content })),
    ];
    const tokens = sent.reduce((sum, m) => sum + 4 + estimateTokens(m.content), 0);
    return { messages: sent, tokens, budget: 32_000, knowledge: null };
  };

  /** Stores a template, new (`id` null) or changed. */
  const saveTemplate = (id: string | null, input: TemplateInput) => {
    const name = input.name?.trim() ?? "";
    if (!name) return refuse(fail, problem("name", "required"));
    if (!input.content?.trim()) return refuse(fail, problem("content", "required"));
    const found = templates.find((t) => t.id === id);
    if (id !== null && !found) return fail("not_found", "no such template");
    const now = Date.now();
    const stored = found ?? {
      id: `tpl-${now}`,
      name: "",
      content: "",
      isDefault: false,
      createdAt: now,
      updatedAt: now,
    };
    Object.assign(stored, { name, content: input.content, updatedAt: now });
    if (!found) templates.push(stored);
    return { ...stored };
  };

  return {
    listConversations: (query) => {
      const status = query.archived ? "archived" : "active";
      return conversations
        .filter((c) => c.status === status && (!query.agentId || c.agentId === query.agentId))
        .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt)
        .slice(query.offset, query.offset + query.limit);
    },
    renameConversation: (id, title) => {
      const trimmed = title.trim();
      if (trimmed === "") return refuse(fail, problem("title", "required"));
      return update(id, { title: trimmed });
    },
    setConversationPinned: (id, pinned) => update(id, { pinned }),
    setConversationTools: (id, enabled) => update(id, { toolsEnabled: enabled }),
    setConversationArchived: (id, archived) =>
      update(id, { status: archived ? "archived" : "active" }),
    search: (text, limit) => {
      const query = text.trim();
      if (query === "") return [];
      const needle = query.toLowerCase();
      const hits: SearchHit[] = [];
      for (const c of [...conversations].sort((a, b) => b.updatedAt - a.updatedAt)) {
        const base = {
          conversationId: c.id,
          conversationTitle: c.title,
          archived: c.status === "archived",
        };
        if (c.title.toLowerCase().includes(needle)) {
          hits.push({
            ...base,
            messageId: null,
            seq: null,
            role: null,
            snippet: snippetOf(c.title, query),
            createdAt: c.updatedAt,
          });
        }
        for (const m of messages.get(c.id) ?? []) {
          if (!m.content.toLowerCase().includes(needle)) continue;
          hits.push({
            ...base,
            messageId: m.id,
            seq: m.seq,
            role: m.role,
            snippet: snippetOf(m.content, query),
            createdAt: m.createdAt,
          });
        }
        if (hits.length >= limit) break;
      }
      return hits.slice(0, limit);
    },
    getContextOverride: (conversationId) => {
      if (!find(conversationId)) return fail("not_found", "no such conversation");
      return overrides.get(conversationId) ?? {};
    },
    setContextOverride: (conversationId, override) => {
      const bad = (override.presetMessages ?? []).findIndex((m) => m.content.trim() === "");
      if (bad >= 0) {
        return refuse(fail, problem(`presetMessages.${bad}.content`, "required"));
      }
      overrides.set(conversationId, override);
      return override;
    },
    listTemplates: () =>
      [...templates].sort(
        (a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name),
      ),
    createTemplate: (input) => saveTemplate(null, input),
    updateTemplate: (id, input) => saveTemplate(id, input),
    deleteTemplate: (id) => {
      const index = templates.findIndex((t) => t.id === id);
      if (index < 0) return fail("not_found", "no such template");
      templates.splice(index, 1);
      return null;
    },
    setDefaultTemplate: (id) => {
      templates.forEach((t) => (t.isDefault = t.id === id));
      return null;
    },
    applyTemplate: (conversationId, templateId) => {
      const template = templates.find((t) => t.id === templateId);
      if (!template) return fail("not_found", "no such template");
      const override = { ...overrides.get(conversationId), systemPrompt: template.content };
      overrides.set(conversationId, override);
      return override;
    },
    setMessageInContext: (messageId, inContext) => {
      const message = editable(messageId);
      if (message instanceof Promise) return message;
      message.inContext = inContext;
      return { ...message };
    },
    editMessage: (messageId, content) => {
      const message = editable(messageId);
      if (message instanceof Promise) return message;
      if (content.trim() === "") return refuse(fail, problem("content", "required"));
      message.content = content;
      return { ...message };
    },
    // The fake keeps each conversation as one line: what hangs below a message is the
    // rest of the line.
    deleteMessage: (messageId) => {
      const message = editable(messageId);
      if (message instanceof Promise) return message;
      const list = messages.get(message.conversationId) ?? [];
      const kept = list.filter((m) => m.seq < message.seq);
      messages.set(message.conversationId, kept);
      return list.length - kept.length;
    },
    countMessageSubtree: (messageId) => {
      const message = findMessage(messageId);
      if (!message) return fail("not_found", "no such message");
      return (messages.get(message.conversationId) ?? []).filter((m) => m.seq >= message.seq)
        .length;
    },
    // One version of each message: there is never another to switch to.
    switchVersion: () => refuse(fail, problem("step", "out_of_range")),
    showMessage: (messageId) => {
      const message = findMessage(messageId);
      if (!message) return fail("not_found", "no such message");
      const conversation = find(message.conversationId);
      if (!conversation) return fail("not_found", "no such conversation");
      return { conversation, ...pageOf(messages.get(conversation.id) ?? [], null, 200) };
    },
    previewContext: (conversationId) => {
      if (!find(conversationId)) return fail("not_found", "no such conversation");
      return preview(conversationId);
    },
  } satisfies Partial<CoreHandlers>;
}
