/**
 * Large data for the fake core: `?fake&long=10000` adds a conversation of that many messages
 * (the newest, so `&open` opens it; `&versions=3` makes each reply the last of three
 * versions) and `&convs=10000` adds that many small conversations.
 * Used by the rendering benchmark and the browser tests of the virtualized lists.
 */
import { lineFields } from "./lineMessage";
import type { Conversation, Message } from "../ipc";

const MINUTE = 60_000;

/** Replies of different shapes and lengths, so rows have different heights. */
const SHAPES_EN = [
  "Short answer: yes.",
  "Use a `BufReader` and read line by line; memory stays flat whatever the file size. If you need the lines in reverse, read blocks from the end instead.",
  "Three things to check:\n\n1. The path is absolute.\n2. The file is readable.\n3. The encoding is UTF-8.",
  '```rust\nfn main() {\n    let total: u64 = (1..=100).sum();\n    println!("{total}");\n}\n```\n\nThat prints 5050.',
  "| Approach | Memory | Speed |\n| --- | --- | --- |\n| `read_to_string` | whole file | fast |\n| `BufReader::lines` | one line | fast |",
  "A longer explanation. ".repeat(24).trim(),
];

const SHAPES_ZH = [
  "简短回答：可以。",
  "用 `BufReader` 按行读取，内存占用与文件大小无关。如果需要倒序读取，可以从文件末尾按块读取。",
  "需要检查三点：\n\n1. 路径是绝对路径。\n2. 文件可读。\n3. 编码是 UTF-8。",
  '```rust\nfn main() {\n    let total: u64 = (1..=100).sum();\n    println!("{total}");\n}\n```\n\n输出 5050。',
  "| 方法 | 内存 | 速度 |\n| --- | --- | --- |\n| `read_to_string` | 整个文件 | 快 |\n| `BufReader::lines` | 一行 | 快 |",
  "一段较长的解释。".repeat(30),
];

/** A conversation of `count` messages, alternating question and answer, updated `now`. */
export function longConversation(
  count: number,
  now: number,
  chinese: boolean,
  versions = 1,
): { conversation: Conversation; messages: Message[] } {
  const id = "fake-long";
  const shapes = chinese ? SHAPES_ZH : SHAPES_EN;
  const start = now - count * MINUTE;
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const user = i % 2 === 0;
    const turn = Math.floor(i / 2) + 1;
    messages.push({
      id: `long-${i + 1}`,
      conversationId: id,
      seq: i + 1,
      role: user ? "user" : "assistant",
      content: user
        ? chinese
          ? `第 ${turn} 个问题`
          : `Question number ${turn}`
        : `${chinese ? "回答" : "Answer"} ${turn}.\n\n${shapes[turn % shapes.length] ?? ""}`,
      state: "complete",
      inContext: true,
      ...lineFields(),
      ...(user ? {} : { version: versions, versions }),
      createdAt: start + i * MINUTE,
      meta: user ? {} : { model: "gpt-4o-mini", promptTokens: 120, completionTokens: 80 },
    });
  }
  return {
    conversation: {
      id,
      agentId: null,
      title: chinese ? `很长的对话（${count} 条消息）` : `A long conversation (${count} messages)`,
      status: "active",
      pinned: false,
      toolsEnabled: true,
      createdAt: start,
      updatedAt: now,
    },
    messages,
  };
}

/** `count` empty conversations, older than everything else in the sample. */
export function manyConversations(count: number, now: number, chinese: boolean): Conversation[] {
  return Array.from({ length: count }, (_, i) => {
    const updatedAt = now - (60 * 24 * 60 + i * 7) * MINUTE;
    return {
      id: `fake-many-${i + 1}`,
      agentId: null,
      title: chinese ? `归档的对话 ${i + 1}` : `Archived chat ${i + 1}`,
      status: "active",
      pinned: false,
      toolsEnabled: true,
      createdAt: updatedAt,
      updatedAt,
    };
  });
}

/** Adds what `long` and `convs` in the URL ask for. */
export function addLargeData(
  params: URLSearchParams,
  now: number,
  chinese: boolean,
  conversations: Conversation[],
  messages: Map<string, Message[]>,
): void {
  const long = Math.min(Number(params.get("long")) || 0, 100_000);
  if (long > 0) {
    const { conversation, messages: list } = longConversation(
      long,
      now,
      chinese,
      Math.max(1, Number(params.get("versions") ?? 1) || 1),
    );
    conversations.push(conversation);
    messages.set(conversation.id, list);
  }
  const many = Math.min(Number(params.get("convs")) || 0, 100_000);
  if (many > 0) conversations.push(...manyConversations(many, now, chinese));
}

/** The page of messages the core returns: the `limit` just before message `beforeId`, oldest first. */
export function pageOf(
  all: Message[],
  beforeId: string | null,
  limit: number,
): { messages: Message[]; hasMore: boolean } {
  const at = beforeId === null ? -1 : all.findIndex((m) => m.id === beforeId);
  const older = at < 0 ? (beforeId === null ? all : []) : all.slice(0, at);
  const messages = older.slice(Math.max(0, older.length - limit));
  return { messages, hasMore: older.length > messages.length };
}
