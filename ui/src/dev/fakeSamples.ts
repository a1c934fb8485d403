/**
 * The fake core's sample conversations and canned replies (see `fakeCore.ts`), in English
 * or Chinese.
 */
import { lineFields } from "./lineMessage";
import { bigReply } from "./fakeBigReply";
import type { Conversation, Message, MessageMeta } from "../ipc";

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

export function sampleData(now: number, chinese: boolean) {
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
      toolsEnabled: true,
      createdAt: updatedAt - 30 * MINUTE,
      updatedAt,
    });
    messages.set(
      id,
      turns.flatMap(([question, answer, state = "complete", ending = "network"], i) => {
        const at = updatedAt - (turns.length - i) * 2 * MINUTE;
        const base = { conversationId: id, inContext: true, createdAt: at, ...lineFields() };
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

/** The reply every stream writes: `?bigreply=N`, `?rich`, or the short one. */
export function replyOf(params: URLSearchParams, chinese: boolean): string {
  const big = Math.min(Number(params.get("bigreply")) || 0, 10_000);
  if (big > 0) return bigReply(big);
  if (params.has("rich")) return richReply(chinese);
  return chinese ? REPLY_ZH : REPLY;
}
