/**
 * Conversation management, search and context editing for the fake core: the same commands
 * and answers as the Rust core, on the fake core's in-memory conversations and messages.
 */
import type {
  ContextOverride,
  Conversation,
  ConversationQuery,
  Message,
  PromptMessage,
  SearchHit,
} from "../ipc";
import { problem, refuse, type Reject } from "./fakeProblems";

type Fail = Reject;
type Args = Record<string, unknown>;

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
  fail: Fail,
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

  const find = (id: unknown) => conversations.find((c) => c.id === id);
  const findMessage = (id: unknown) => [...messages.values()].flat().find((m) => m.id === id);
  const update = (id: unknown, change: Partial<Conversation>) => {
    const conversation = find(id);
    if (!conversation) return fail("not_found", `no conversation ${String(id)}`);
    Object.assign(conversation, change);
    return { ...conversation };
  };
  const editable = (id: unknown): Message | Promise<never> => {
    const message = findMessage(id);
    if (!message) return fail("not_found", `no message ${String(id)}`);
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
    return { messages: sent, tokens, budget: 32_000 };
  };

  return (cmd: string, args: Args): unknown => {
    switch (cmd) {
      case "list_conversations": {
        const query = args.query as ConversationQuery;
        const status = query.archived ? "archived" : "active";
        return conversations
          .filter((c) => c.status === status && (!query.agentId || c.agentId === query.agentId))
          .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt)
          .slice(query.offset, query.offset + query.limit);
      }
      case "rename_conversation": {
        const title = String(args.title).trim();
        if (title === "") return refuse(fail, problem("title", "required"));
        return update(args.id, { title });
      }
      case "set_conversation_pinned":
        return update(args.id, { pinned: Boolean(args.pinned) });
      case "set_conversation_archived":
        return update(args.id, { status: args.archived ? "archived" : "active" });
      case "search": {
        const query = String(args.query).trim();
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
          if (hits.length >= Number(args.limit)) break;
        }
        return hits.slice(0, Number(args.limit));
      }
      case "get_context_override":
        if (!find(args.conversationId)) return fail("not_found", "no such conversation");
        return overrides.get(String(args.conversationId)) ?? {};
      case "set_context_override": {
        const override = args.value as ContextOverride;
        const bad = (override.presetMessages ?? []).findIndex((m) => m.content.trim() === "");
        if (bad >= 0) {
          return refuse(fail, problem(`presetMessages.${bad}.content`, "required"));
        }
        overrides.set(String(args.conversationId), override);
        return override;
      }
      case "list_templates":
        return [...templates].sort(
          (a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name),
        );
      case "create_template":
      case "update_template": {
        const input = args.input as { name: string; content: string };
        if (!input.name.trim()) return refuse(fail, problem("name", "required"));
        if (!input.content.trim()) return refuse(fail, problem("content", "required"));
        const found = templates.find((t) => t.id === args.id);
        if (cmd === "update_template" && !found) return fail("not_found", "no such template");
        const now = Date.now();
        const stored = found ?? {
          id: `tpl-${now}`,
          name: "",
          content: "",
          isDefault: false,
          createdAt: now,
          updatedAt: now,
        };
        Object.assign(stored, { name: input.name.trim(), content: input.content, updatedAt: now });
        if (!found) templates.push(stored);
        return { ...stored };
      }
      case "delete_template": {
        const index = templates.findIndex((t) => t.id === args.id);
        if (index < 0) return fail("not_found", "no such template");
        templates.splice(index, 1);
        return null;
      }
      case "set_default_template":
        templates.forEach((t) => (t.isDefault = t.id === args.id));
        return null;
      case "apply_template": {
        const template = templates.find((t) => t.id === args.templateId);
        if (!template) return fail("not_found", "no such template");
        const override = {
          ...overrides.get(String(args.conversationId)),
          systemPrompt: template.content,
        };
        overrides.set(String(args.conversationId), override);
        return override;
      }
      case "set_message_in_context": {
        const message = editable(args.messageId);
        if (message instanceof Promise) return message;
        message.inContext = Boolean(args.inContext);
        return { ...message };
      }
      case "edit_message": {
        const message = editable(args.messageId);
        if (message instanceof Promise) return message;
        if (String(args.content).trim() === "") {
          return refuse(fail, problem("content", "required"));
        }
        message.content = String(args.content);
        return { ...message };
      }
      case "delete_message": {
        const message = editable(args.messageId);
        if (message instanceof Promise) return message;
        const list = messages.get(message.conversationId) ?? [];
        messages.set(
          message.conversationId,
          list.filter((m) => m.id !== message.id),
        );
        return null;
      }
      case "preview_context":
        if (!find(args.conversationId)) return fail("not_found", "no such conversation");
        return preview(String(args.conversationId));
      default:
        return undefined;
    }
  };
}
