/**
 * A fake core for working on the UI in a plain browser: `npm run dev:ui`, then open
 * http://localhost:1420/?fake. It answers the same commands as the Rust core from memory
 * and streams canned replies. Loaded only by the dev server; production builds drop it.
 */
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ChatEvent, Conversation, ConversationDetail, Message } from "../ipc";

const MINUTE = 60_000;

function sampleData(now: number, chinese: boolean) {
  const conversations: Conversation[] = [];
  const messages = new Map<string, Message[]>();
  let seq = 0;

  function add(title: string, ageMinutes: number, turns: [string, string, Message["state"]?][]) {
    const id = `fake-${conversations.length + 1}`;
    const updatedAt = now - ageMinutes * MINUTE;
    conversations.push({
      id,
      agentId: null,
      title,
      status: "active",
      pinned: false,
      createdAt: updatedAt - 30 * MINUTE,
      updatedAt,
    });
    messages.set(
      id,
      turns.flatMap(([question, answer, state = "complete"], i) => {
        const at = updatedAt - (turns.length - i) * 2 * MINUTE;
        const base = { conversationId: id, inContext: true, createdAt: at };
        return [
          {
            ...base,
            id: `m${++seq}`,
            seq,
            role: "user",
            content: question,
            state: "complete",
            meta: {},
          },
          {
            ...base,
            id: `m${++seq}`,
            seq,
            role: "assistant",
            content: answer,
            createdAt: at + 9000,
            state,
            meta: {
              model: "gpt-4o-mini",
              promptTokens: 212,
              completionTokens: 348,
              firstTokenMs: 420,
              totalMs: 6100,
              ...(state === "complete"
                ? {}
                : { errorCode: "network", errorMessage: "The connection was reset mid-stream." }),
            },
          },
        ] satisfies Message[];
      }),
    );
  }

  if (chinese) {
    add("用 Rust 读取大文件", 3, [
      [
        "怎么用 Rust 逐行读取一个很大的日志文件？",
        '用 `BufReader` 按行读取，内存占用与文件大小无关：\n\n```rust\nuse std::fs::File;\nuse std::io::{BufRead, BufReader};\n\nfn main() -> std::io::Result<()> {\n    let file = File::open("app.log")?;\n    for line in BufReader::new(file).lines() {\n        let line = line?;\n        if line.contains("ERROR") {\n            println!("{line}");\n        }\n    }\n    Ok(())\n}\n```\n\n几点建议：\n\n1. 文件特别大时，可以用 `read_line` 复用同一个 `String`，减少分配。\n2. 需要并行处理时，可以先按字节范围切块。',
      ],
      [
        "如果文件是 GBK 编码呢？",
        "可以用 `encoding_rs` 先把字节解码成 UTF-8，再交给后续逻辑处理。",
        "partial",
      ],
    ]);
    add("周末去杭州的行程", 60 * 5, [
      ["帮我安排两天的杭州行程", "第一天：西湖、雷峰塔；第二天：灵隐寺、龙井村。"],
    ]);
    add("季度报告要点", 60 * 30, [["总结一下这份报告", "收入同比增长 12%，主要来自海外市场。"]]);
  } else {
    add("Reading large files in Rust", 3, [
      [
        "How do I read a very large log file line by line in Rust?",
        'Use a `BufReader`; memory stays flat whatever the file size:\n\n```rust\nuse std::fs::File;\nuse std::io::{BufRead, BufReader};\n\nfn main() -> std::io::Result<()> {\n    let file = File::open("app.log")?;\n    for line in BufReader::new(file).lines() {\n        let line = line?;\n        if line.contains("ERROR") {\n            println!("{line}");\n        }\n    }\n    Ok(())\n}\n```\n\n| Approach | Memory | Speed |\n| --- | --- | --- |\n| `read_to_string` | whole file | fast |\n| `BufReader::lines` | one line | fast |\n\nFor really big files, reuse one `String` with `read_line` to avoid an allocation per line.',
      ],
      [
        "And if the file is not UTF-8?",
        "Read bytes with `read_until(b'\\n', &mut buf)` and decode them with `encoding_rs`, so a bad byte",
        "partial",
      ],
    ]);
    add("Weekend trip to Lisbon", 60 * 5, [
      ["Plan two days in Lisbon", "Day one: Alfama and the castle. Day two: Belém."],
    ]);
    add("Quarterly report summary", 60 * 30, [
      ["Summarise this report", "Revenue grew 12% year on year, mostly abroad."],
    ]);
    add("A conversation with a rather long title that will not fit", 60 * 24 * 40, []);
  }
  return { conversations, messages };
}

const REPLY =
  "Here is a short answer, streamed a few characters at a time.\n\n- It renders **markdown** as it arrives\n- Code like `cargo test` stays monospaced\n\nThat is all.";

export function installFakeCore(chinese: boolean, withKey: boolean): void {
  const { conversations, messages } = sampleData(Date.now(), chinese);
  let keyLast4: string | null = withKey ? "3f9a" : null;
  let seq = 1000;

  const detail = (id: string): ConversationDetail | null => {
    const conversation = conversations.find((c) => c.id === id);
    return conversation ? { conversation, messages: messages.get(id) ?? [], hasMore: false } : null;
  };

  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case "list_conversations":
        return [...conversations].sort((a, b) => b.updatedAt - a.updatedAt);
      case "get_conversation":
        return (
          detail(String(args.id)) ??
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the core rejects with an AppError
          Promise.reject({ code: "not_found", message: `no conversation ${String(args.id)}` })
        );
      case "create_conversation": {
        const now = Date.now();
        const conversation: Conversation = {
          id: `fake-${++seq}`,
          agentId: null,
          title: typeof args.title === "string" ? args.title : "",
          status: "active",
          pinned: false,
          createdAt: now,
          updatedAt: now,
        };
        conversations.push(conversation);
        return conversation;
      }
      case "delete_conversation": {
        const index = conversations.findIndex((c) => c.id === args.id);
        if (index >= 0) conversations.splice(index, 1);
        return null;
      }
      case "send_message":
        if (keyLast4 === null) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the core rejects with an AppError
          return Promise.reject({ code: "no_api_key", message: "no API key in the keychain" });
        }
        return stream(String(args.conversationId), String(args.text), args.onEvent);
      case "get_api_key_status":
        return { set: keyLast4 !== null, last4: keyLast4 };
      case "set_api_key":
        keyLast4 = String(args.key).slice(-4);
        return { set: true, last4: keyLast4 };
      case "clear_api_key":
        keyLast4 = null;
        return { set: false, last4: null };
      case "get_provider_info":
        return { baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini" };
      default:
        throw new Error(`fake core: no command ${cmd}`);
    }
  });

  function stream(conversationId: string, text: string, onEvent: unknown): string {
    const { id } = onEvent as Channel<ChatEvent>;
    const internals = (
      window as unknown as {
        __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
      }
    ).__TAURI_INTERNALS__;
    let index = 0;
    const emit = (event: ChatEvent) =>
      internals.runCallback(id, { index: index++, message: event });

    const list = messages.get(conversationId) ?? [];
    messages.set(conversationId, list);
    const conversation = conversations.find((c) => c.id === conversationId);
    const streamId = `stream-${++seq}`;
    const userMessage: Message = {
      id: `m${++seq}`,
      conversationId,
      seq,
      role: "user",
      content: text,
      createdAt: Date.now(),
      state: "complete",
      inContext: true,
      meta: {},
    };
    list.push(userMessage);
    if (conversation && conversation.title === "") conversation.title = text.slice(0, 40);

    const started = Date.now();
    setTimeout(
      () => emit({ event: "started", data: { streamId, conversationId, userMessage } }),
      50,
    );
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < REPLY.length) {
        const chunk = REPLY.slice(sent, sent + 6);
        sent += chunk.length;
        emit({ event: "delta", data: { text: chunk } });
        return;
      }
      clearInterval(timer);
      const message: Message = {
        id: `m${++seq}`,
        conversationId,
        seq,
        role: "assistant",
        content: REPLY,
        createdAt: Date.now(),
        state: "complete",
        inContext: true,
        meta: { model: "gpt-4o-mini", completionTokens: 42, totalMs: Date.now() - started },
      };
      list.push(message);
      if (conversation) conversation.updatedAt = Date.now();
      emit({ event: "done", data: { message } });
    }, 40);
    return streamId;
  }
}

/**
 * Puts the app in a state named in the URL, for screenshots without clicking:
 * `?fake&open` opens the newest conversation, `&send=text` starts a reply,
 * `&settings` opens the settings dialog, and `&nokey` starts without an API key.
 */
export async function applyScenario(params: URLSearchParams): Promise<void> {
  const [{ useChatStore }, { useConversationsStore }, { useSettingsDialog }] = await Promise.all([
    import("../features/chat/store/chatStore"),
    import("../features/conversations/store/conversationsStore"),
    import("../features/settings/store/settingsDialogStore"),
  ]);
  if (params.has("open")) {
    await useConversationsStore.getState().load();
    const first = useConversationsStore.getState().items[0];
    if (first) await useChatStore.getState().open(first.id);
  }
  const text = params.get("send");
  if (text) await useChatStore.getState().send(text);
  if (params.has("settings")) useSettingsDialog.getState().setOpen(true);
}
