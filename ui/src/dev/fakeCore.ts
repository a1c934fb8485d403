/**
 * A fake core for working on the UI in a plain browser: `npm run dev:ui`, then open
 * http://localhost:1420/?fake. It answers the same commands as the Rust core from memory
 * and streams canned replies. Loaded only by the dev server; production builds drop it.
 */
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { createCatalog } from "./fakeCatalog";
import { bigReply } from "./fakeBigReply";
import { addHostileData, addStressData } from "./fakeHostile";
import { addLargeData, pageOf } from "./fakeLong";
import { createConversationOps } from "./fakeConversationOps";
import { fakeStats } from "./fakeStats";
import { createStorage } from "./fakeStorage";
import { createTrials } from "./fakeTrial";
import { createData } from "./fakeData";
import type {
  ActiveStream,
  ChatEvent,
  Conversation,
  ConversationDetail,
  Message,
  MessageMeta,
  Settings,
} from "../ipc";
import { problem, refuse, type Reject } from "./fakeProblems";

const MINUTE = 60_000;

/** How an incomplete sample reply ended: the meta the core would have stored. */
const ENDINGS = {
  network: {
    reason: "provider_error",
    errorCode: "network",
    errorMessage: "The connection was reset mid-stream.",
  },
  cancelled: { reason: "cancelled" },
  app_exit: { reason: "app_exit" },
} satisfies Record<string, MessageMeta>;
type Ending = keyof typeof ENDINGS;

function sampleData(now: number, chinese: boolean) {
  const conversations: Conversation[] = [];
  const messages = new Map<string, Message[]>();
  let seq = 0;

  /** A question, its answer, and for an incomplete answer how it ended. */
  type Turn = [string, string, Message["state"]?, Ending?];

  function add(title: string, ageMinutes: number, turns: Turn[]) {
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
      turns.flatMap(([question, answer, state = "complete", ending = "network"], i) => {
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
              ...(state === "complete" ? {} : ENDINGS[ending]),
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
      ["第二天下雨怎么办？", "可以改去浙江省博物馆和", "cancelled", "cancelled"],
    ]);
    add("季度报告要点", 60 * 30, [
      ["总结一下这份报告", "收入同比增长 12%，主要来自海外市场。成本方面，", "partial", "app_exit"],
    ]);
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
      [
        "What if it rains on day two?",
        "Swap Belém for the Gulbenkian museum and",
        "cancelled",
        "cancelled",
      ],
    ]);
    add("Quarterly report summary", 60 * 30, [
      [
        "Summarise this report",
        "Revenue grew 12% year on year, mostly abroad. On the cost side,",
        "partial",
        "app_exit",
      ],
    ]);
    add("A conversation with a rather long title that will not fit", 60 * 24 * 40, []);
  }
  return { conversations, messages };
}

const REPLY =
  "Here is a short answer, streamed a few characters at a time.\n\n- It renders **markdown** as it arrives\n- Code like `cargo test` stays monospaced\n\nThat is all.";

const REPLY_ZH =
  "这是一段简短的回答，每次流式输出几个字。\n\n- 收到的 **Markdown** 会即时渲染\n- 像 `cargo test` 这样的代码保持等宽字体\n\n就这些。";

/** `?rich`: a reply with a table, highlighted code, math, a link and an image. */
function richReply(chinese: boolean): string {
  const [intro, col1, col2, outro] = chinese
    ? ["对比如下：", "语言", "类型", "就这些。"]
    : ["Here is the comparison:", "Language", "Typing", "That is all."];
  return [
    intro,
    `| ${col1} | ${col2} |\n|---|---|\n| Rust | static |\n| Python | dynamic |`,
    "```rust\nfn area(r: f64) -> f64 {\n    // pi r squared\n    std::f64::consts::PI * r * r\n}\n```",
    '```python\ndef greet(name: str) -> str:\n    return f"Hello, {name}!"  # a very long line that has to scroll sideways rather than wrap around, as code blocks do\n```',
    "Euler: $e^{i\\pi} + 1 = 0$, and \\(a^2 + b^2 = c^2\\).",
    "\\[\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n\\]",
    "[Rust docs](https://doc.rust-lang.org) · ![diagram](https://example.com/d.png)",
    outro,
  ].join("\n\n");
}

/**
 * How replies behave, from the URL: `queued` / `ratelimit` wait for a slot or the rate
 * limit, `retrying` waits to retry after a 429, `waiting` never gets its first words,
 * `slow` writes for a minute (time to press Stop), `failing` fails before any text,
 * `resuming` loses the connection halfway and resumes, `toolong` stops at the size limit.
 */
const BEHAVIOURS = [
  "queued",
  "ratelimit",
  "retrying",
  "waiting",
  "slow",
  "failing",
  "resuming",
  "toolong",
] as const;
type Behaviour = "normal" | (typeof BEHAVIOURS)[number];

function behaviourOf(params: URLSearchParams): Behaviour {
  return BEHAVIOURS.find((b) => params.has(b)) ?? "normal";
}

type Emit = (event: ChatEvent) => void;

/** A reply being written: who listens, the text so far, and how to stop it. */
interface LiveStream {
  id: string;
  conversationId: string;
  startedAt: number;
  text: string;
  listeners: Emit[];
  stop: () => void;
}

function channelEmitter(onEvent: unknown): Emit {
  const { id } = onEvent as Channel<ChatEvent>;
  const internals = (
    window as unknown as {
      __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
    }
  ).__TAURI_INTERNALS__;
  let index = 0;
  return (event) => internals.runCallback(id, { index: index++, message: event });
}

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
  const behaviour = behaviourOf(params);
  const big = Math.min(Number(params.get("bigreply")) || 0, 10_000);
  const reply =
    big > 0 ? bigReply(big) : params.has("rich") ? richReply(chinese) : chinese ? REPLY_ZH : REPLY;
  // `rate`: deltas a second (the reply split evenly over 5 s of them at the default 200).
  const rate = Math.min(Math.max(Number(params.get("rate")) || 0, 0), 1000);
  // New messages come after every sample one, the long conversation's included.
  let seq = 1000 + [...messages.values()].flat().reduce((max, m) => Math.max(max, m.seq), 0);
  const live = new Map<string, LiveStream>();
  const lang = params.get("lang");
  const theme = params.get("theme");
  let settings: Required<Settings> = {
    language: lang === "en" || lang === "zh-CN" ? lang : null,
    theme: theme === "light" || theme === "dark" ? theme : "system",
    maxConcurrentStreams: 4,
    requestsPerMinute: 0,
    stallTimeoutSecs: 60,
    maxReplyKib: 1024,
    autoResume: 2,
    autoTitle: true,
    debugCapture: false,
    logLevel: "info",
    defaultProviderId: "prov-1",
  };

  const detail = (id: string): ConversationDetail | null => {
    const conversation = conversations.find((c) => c.id === id);
    // The core opens a conversation with its latest 200 messages.
    return conversation ? { conversation, ...pageOf(messages.get(id) ?? [], null, 200) } : null;
  };

  const fail: Reject = (code, message, problems = []) =>
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the core rejects with an AppError
    Promise.reject({ code, message, problems });

  const catalog = createCatalog(chinese, fail);
  // `&nokey`: the default provider (the built-in one) starts without a key.
  if (!withKey) catalog("clear_provider_api_key", { id: "prov-1" });
  const storage = createStorage(params, fail);
  const trials = createTrials(chinese, fail, channelEmitter);
  const data = createData(conversations, messages, params, fail);
  const conversationOps = createConversationOps(
    conversations,
    messages,
    chinese,
    (id) => [...live.values()].some((s) => s.conversationId === id),
    fail,
  );

  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    // `undefined` means "not mine"; `null` is an answer (commands returning nothing).
    let answer: unknown;
    for (const handler of [catalog, storage, trials, data, conversationOps]) {
      answer = handler(cmd, args);
      if (answer !== undefined) break;
    }
    if (answer !== undefined) return answer;
    switch (cmd) {
      case "list_messages":
        return pageOf(
          messages.get(String(args.conversationId)) ?? [],
          Number(args.beforeSeq),
          Number(args.limit),
        );
      case "get_conversation":
        return detail(String(args.id)) ?? fail("not_found", `no conversation ${String(args.id)}`);
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
      case "create_conversation_with_agent": {
        const now = Date.now();
        const conversation: Conversation = {
          id: `fake-${++seq}`,
          agentId: String(args.agentId),
          title: "",
          status: "active",
          pinned: false,
          createdAt: now,
          updatedAt: now,
        };
        conversations.push(conversation);
        return conversation;
      }
      case "get_conversation_agent": {
        const conversation = conversations.find((c) => c.id === args.conversationId);
        if (!conversation?.agentId) return null;
        return catalog("get_agent", { id: conversation.agentId });
      }
      case "delete_conversation": {
        const index = conversations.findIndex((c) => c.id === args.id);
        if (index >= 0) conversations.splice(index, 1);
        return null;
      }
      case "send_message":
      case "regenerate":
      case "continue_reply":
      case "edit_and_resend":
        return startReply(cmd, args);
      case "cancel_stream": {
        const stream = live.get(String(args.streamId));
        if (!stream) return fail("not_found", `no stream ${String(args.streamId)}`);
        stream.stop();
        return null;
      }
      case "attach_stream": {
        const stream = live.get(String(args.streamId));
        if (!stream) return fail("not_found", `no stream ${String(args.streamId)}`);
        const emit = channelEmitter(args.onEvent);
        emit({
          event: "snapshot",
          data: { streamId: stream.id, conversationId: stream.conversationId, text: stream.text },
        });
        stream.listeners.push(emit);
        return null;
      }
      case "get_stats":
        return fakeStats(Number(args.days), chinese, params.has("nostats"));
      case "get_message_debug":
        return JSON.stringify(
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
      case "list_active_streams":
        return [...live.values()].map((s): ActiveStream => ({
          streamId: s.id,
          conversationId: s.conversationId,
          startedAt: s.startedAt,
          receivedBytes: new TextEncoder().encode(s.text).length,
        }));
      case "get_settings":
        return settings;
      case "set_settings": {
        const next = { ...settings, ...(args.settings as Settings) };
        const ranges = [
          ["maxConcurrentStreams", 1, 32],
          ["requestsPerMinute", 0, 10_000],
          ["stallTimeoutSecs", 5, 600],
          ["maxReplyKib", 16, 65_536],
          ["autoResume", 0, 5],
        ] as const;
        const out = ranges.filter(([key, min, max]) => next[key] < min || next[key] > max);
        if (out.length > 0) {
          return refuse(
            fail,
            ...out.map(([key, min, max]) => problem(key, "out_of_range", { min, max })),
          );
        }
        settings = next;
        return settings;
      }
      case "open_url": {
        // Recorded instead of opened, for tests; the scheme check mirrors the core's.
        const url = String(args.url).trim();
        if (!/^(https?|mailto):/i.test(url)) {
          return refuse(fail, problem("url", "link_scheme"));
        }
        const w = window as { __openedUrls?: string[] };
        (w.__openedUrls ??= []).push(url);
        return null;
      }
      default:
        throw new Error(`fake core: no command ${cmd}`);
    }
  });

  function startReply(cmd: string, args: Record<string, unknown>): Promise<string> | string {
    const providerId = settings.defaultProviderId;
    if (!providerId) return fail("no_provider", "no provider is set up");
    const key = catalog("get_provider_key_status", { id: providerId }) as { set: boolean };
    if (!key.set) return fail("no_api_key", "no API key in the keychain");
    const edited = [...messages.values()].flat().find((m) => m.id === args.messageId);
    const conversationId =
      cmd === "edit_and_resend" ? edited?.conversationId : String(args.conversationId);
    if (conversationId === undefined) return fail("not_found", "no such message");
    if ([...live.values()].some((s) => s.conversationId === conversationId)) {
      return fail("busy", "a reply is already streaming in this conversation");
    }
    const list = messages.get(conversationId) ?? [];
    let userMessage: Message;
    let continues: Message | null = null;
    if (cmd === "continue_reply") {
      const last = list.at(-1);
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      if (
        last?.role !== "assistant" ||
        !["partial", "cancelled"].includes(last.state) ||
        last.content === "" ||
        !lastUser
      ) {
        return refuse(fail, problem("", "nothing_to_continue"));
      }
      continues = last;
      userMessage = lastUser;
      messages.set(conversationId, list.slice(0, -1));
    } else if (edited) {
      userMessage = { ...edited, content: String(args.text) };
      messages.set(conversationId, [...list.filter((m) => m.seq < edited.seq), userMessage]);
    } else if (cmd === "regenerate") {
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      if (!lastUser) return refuse(fail, problem("", "nothing_to_answer"));
      userMessage = lastUser;
      messages.set(
        conversationId,
        list.filter((m) => m.seq <= lastUser.seq),
      );
    } else {
      userMessage = {
        id: `m${++seq}`,
        conversationId,
        seq,
        role: "user",
        content: String(args.text),
        createdAt: Date.now(),
        state: "complete",
        inContext: true,
        meta: {},
      };
      messages.set(conversationId, [...list, userMessage]);
    }
    const conversation = conversations.find((c) => c.id === conversationId);
    const firstExchange = conversation?.title === "";
    if (conversation && firstExchange) conversation.title = userMessage.content.slice(0, 40);

    const text = continues?.content ?? "";
    const stream = run(conversationId, channelEmitter(args.onEvent), firstExchange, text);
    stream.listeners.forEach((emit) =>
      emit({
        event: "started",
        data: {
          streamId: stream.id,
          conversationId,
          userMessage,
          continuesMessageId: continues?.id ?? null,
          text,
        },
      }),
    );
    return stream.id;
  }

  /** Plays a reply according to `behaviour`; `text` is where an attached reply starts. */
  function run(conversationId: string, emit: Emit | null, firstExchange = false, text = "") {
    const startedAt = Date.now();
    const timers: number[] = [];
    const stream: LiveStream = {
      id: `stream-${++seq}`,
      conversationId,
      startedAt,
      text,
      listeners: emit ? [emit] : [],
      stop: () => finish("cancelled"),
    };
    live.set(stream.id, stream);
    const send = (event: ChatEvent) => stream.listeners.forEach((e) => e(event));
    const later = (ms: number, f: () => void) => timers.push(window.setTimeout(f, ms));
    const every = (ms: number, f: () => void) => timers.push(window.setInterval(f, ms));

    function finish(state: Message["state"], meta: MessageMeta = {}) {
      timers.forEach((t) => window.clearTimeout(t));
      live.delete(stream.id);
      const message: Message = {
        id: `m${++seq}`,
        conversationId,
        seq,
        role: "assistant",
        content: stream.text,
        createdAt: Date.now(),
        state: state === "cancelled" || stream.text !== "" ? state : "error",
        inContext: true,
        meta: {
          model: "gpt-4o-mini",
          totalMs: Date.now() - startedAt,
          ...(state === "cancelled" ? { reason: "cancelled" } : {}),
          ...meta,
        },
      };
      messages.get(conversationId)?.push(message);
      const conversation = conversations.find((c) => c.id === conversationId);
      if (conversation) conversation.updatedAt = Date.now();
      if (meta.errorCode) {
        send({
          event: "error",
          data: {
            code: meta.errorCode,
            message: meta.errorMessage ?? "",
            partialSaved: stream.text !== "",
          },
        });
      } else {
        send({ event: "done", data: { message } });
      }
      if (firstExchange && state === "complete" && conversation) {
        later(600, () => {
          conversation.title = chinese ? "流式回复演示" : "A streamed reply";
          send({ event: "title", data: { conversationId, title: conversation.title } });
        });
      }
    }

    /** Writes the reply `chunk` characters every `everyMs`; `cut` is called once at half-way. */
    function write(chunk: number, everyMs: number, cut?: () => boolean) {
      let paused = false;
      every(everyMs, () => {
        if (paused) return;
        if (cut && stream.text.length >= reply.length / 2) {
          paused = cut();
          cut = undefined;
          if (paused) later(1500, () => (paused = false));
          return;
        }
        const rest = reply.length > stream.text.length ? reply.slice(stream.text.length) : "";
        if (rest === "") {
          finish("complete", {
            promptTokens: 38,
            completionTokens: 42,
            firstTokenMs: 380,
            finishReason: "stop",
          });
          return;
        }
        const piece = rest.slice(0, chunk);
        stream.text += piece;
        send({ event: "delta", data: { text: piece } });
      });
    }

    /**
     * `perSecond` deltas a second on average, by the clock: a tick that comes late (the page
     * was busy) sends every delta it owes, each as its own event, as a fast provider would.
     */
    function writePaced(perSecond: number) {
      const chunk = Math.max(1, Math.ceil(reply.length / (perSecond * 5)));
      const start = performance.now();
      let sent = 0;
      every(5, () => {
        const owed = Math.floor(((performance.now() - start) / 1000) * perSecond);
        for (; sent < owed && stream.text.length < reply.length; sent++) {
          const piece = reply.slice(stream.text.length, stream.text.length + chunk);
          stream.text += piece;
          send({ event: "delta", data: { text: piece } });
        }
        if (stream.text.length >= reply.length) finish("complete", { finishReason: "stop" });
      });
    }

    switch (behaviour) {
      case "queued":
      case "ratelimit":
        later(80, () =>
          send({
            event: "queued",
            data: { reason: behaviour === "queued" ? "concurrency" : "rate_limit" },
          }),
        );
        break;
      case "retrying":
        later(80, () =>
          send({
            event: "retrying",
            data: { attempt: 1, delayMs: 8000, code: "rate_limited", message: "HTTP 429" },
          }),
        );
        break;
      case "waiting": {
        let waited = 12_000;
        later(80, () => send({ event: "heartbeat", data: { waitedMs: waited } }));
        every(3000, () => {
          waited += 3000;
          send({ event: "heartbeat", data: { waitedMs: waited } });
        });
        break;
      }
      case "failing":
        later(900, () =>
          finish("error", {
            reason: "provider_error",
            errorCode: "model_not_found",
            errorMessage: "HTTP 404: The model `gpt-5-nano` does not exist",
          }),
        );
        break;
      case "slow":
        write(2, 400);
        break;
      case "normal":
        if (rate > 0) writePaced(rate);
        else write(6, 40);
        break;
      case "resuming":
        // The connection drops half-way; the engine resumes it from the text so far.
        write(6, 40, () => {
          send({
            event: "resuming",
            data: { attempt: 1, delayMs: 1500, code: "network", message: "connection reset" },
          });
          return true;
        });
        break;
      case "toolong":
        write(6, 40, () => {
          finish("partial", { reason: "too_long", finishReason: null });
          return false;
        });
        break;
    }
    return stream;
  }

  // `reload`: a reply was streaming in the newest conversation when the page (re)loaded.
  if (params.has("reload")) {
    const newest = [...conversations].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (newest) run(newest.id, null, false, reply.slice(0, Math.floor(reply.length / 2)));
  }
}

/**
 * Puts the app in a state named in the URL, for screenshots without clicking:
 * `?fake&open` opens the newest conversation (`open=2` the second), `&send=text` starts a reply (see `Behaviour`
 * for how it goes), `&edit` opens the editor on the first message, `&settings` opens the
 * settings dialog, `&reload` has a reply streaming at start-up, `&nokey` starts without an
 * API key, `&lang=zh-CN` and `&theme=dark` set the stored language and theme, `&long=10000`
 * adds a conversation of that many messages (the newest) and `&convs=10000` that many more
 * conversations (see `fakeLong.ts`).
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
}
