/**
 * Hostile data for the fake core, the kind a crafted import leaves in the database:
 * `?fake&hostile` adds a pinned conversation updated at 1e16 ms (past what a `Date` can
 * hold, so it sorts first) whose messages were "created" at -1e17 ms, and `&hostile=broken`
 * adds a reply whose content is not a string at all (it makes its bubble throw).
 * `?fake&stress` adds a conversation (the newest) whose replies are built to exhaust the
 * renderer: a quote nested 10,000 deep and a 1 MB code block on a single line.
 */
import { lineFields } from "./lineMessage";
import type { Conversation, Message } from "../ipc";

export const HOSTILE_ID = "fake-hostile";

export function addHostileData(
  params: URLSearchParams,
  chinese: boolean,
  conversations: Conversation[],
  messages: Map<string, Message[]>,
): void {
  if (!params.has("hostile")) return;
  conversations.push({
    id: HOSTILE_ID,
    agentId: null,
    title: chinese ? "导入的对话（时间错误）" : "Imported chat with broken times",
    status: "active",
    pinned: true,
    toolsEnabled: true,
    createdAt: -1e17,
    updatedAt: 1e16,
  });
  const base = {
    conversationId: HOSTILE_ID,
    inContext: true,
    state: "complete",
    ...lineFields(),
  } as const;
  const list: Message[] = [
    {
      ...base,
      id: "hostile-1",
      seq: 1,
      role: "user",
      content: chinese
        ? "这条消息的时间是公元前三百万年。"
        : "This message claims to be 3 million years old.",
      createdAt: -1e17,
      meta: {},
    },
    {
      ...base,
      id: "hostile-2",
      seq: 2,
      role: "assistant",
      content: chinese
        ? "这条回复的时间没有意义。"
        : "And this reply has a time that is not a number.",
      createdAt: Number.NaN,
      meta: { model: "gpt-4o-mini" },
    },
  ];
  if (params.get("hostile") === "broken") {
    list.push({
      ...base,
      id: "hostile-3",
      seq: 3,
      role: "assistant",
      // Not what the core's type says: the bubble that reads it as text throws.
      content: null as unknown as string,
      createdAt: 1e16,
      meta: {},
    });
    list.push({
      ...base,
      id: "hostile-4",
      seq: 4,
      role: "user",
      content: chinese ? "后面的消息照常显示。" : "The messages after it still show.",
      createdAt: Date.now(),
      meta: {},
    });
  }
  messages.set(HOSTILE_ID, list);
}

export const STRESS_ID = "fake-stress";

export function addStressData(
  params: URLSearchParams,
  now: number,
  conversations: Conversation[],
  messages: Map<string, Message[]>,
): void {
  if (!params.has("stress")) return;
  conversations.push({
    id: STRESS_ID,
    agentId: null,
    title: "Markdown stress",
    status: "active",
    pinned: false,
    toolsEnabled: true,
    createdAt: now,
    updatedAt: now + 1,
  });
  const reply = (seq: number, content: string): Message => ({
    id: `stress-${seq}`,
    conversationId: STRESS_ID,
    seq,
    role: seq % 2 === 1 ? "user" : "assistant",
    content,
    state: "complete",
    inContext: true,
    ...lineFields(),
    createdAt: now,
    meta: {},
  });
  messages.set(STRESS_ID, [
    reply(1, "Quote yourself 10,000 times."),
    reply(2, `${">".repeat(10_000)} the innermost quote\n\nAfter the quote.`),
    reply(3, "A megabyte of code on one line."),
    reply(4, `\`\`\`js\n${"const value = 1; ".repeat(62_500)}\n\`\`\`\n\nAfter the code.`),
  ]);
}
