/**
 * The fake core's sample knowledge (see `fakeKnowledge.ts`): the passages its two bases hold,
 * and, with `?knowledge`, a conversation whose replies cite them (and one that found none).
 */
import type { Conversation, FileStatus, KnowledgeBaseInput, Message, Part } from "../ipc";
import { lineFields } from "./lineMessage";

/** A passage of a sample file, as a search hit or a citation carries it. */
export interface Passage {
  path: string;
  title: string;
  page: number | null;
  heading: string;
  text: string;
  /** An image file, found by what it shows (its text is its name and folders). */
  image?: boolean;
}

/** What a file becomes once indexing reaches it. */
export interface Outcome {
  status: FileStatus;
  error: string | null;
  chunks: number;
}

export const MANUALS = "/Users/ana/Documents/Printer manuals";
export const NOTES = "/Users/ana/Notes/tides.md";

export function passagesOf(chinese: boolean): Passage[] {
  const en = !chinese;
  return [
    {
      path: `${MANUALS}/setup-guide.pdf`,
      title: en ? "LX-200 Setup Guide" : "LX-200 安装指南",
      page: 3,
      heading: en ? "Setup › Linux" : "安装 › Linux",
      text: en
        ? "On Linux, install the CUPS driver package, then add the printer from Settings › Printers. The printer is found on the local network within a minute; if it is not, enter its IP address, shown on its display under Network."
        : "在 Linux 上先安装 CUPS 驱动包，再从“设置 › 打印机”添加打印机。一分钟内即可在局域网中找到它；若找不到，请输入其显示屏“网络”项下显示的 IP 地址。",
    },
    {
      path: `${MANUALS}/setup-guide.pdf`,
      title: en ? "LX-200 Setup Guide" : "LX-200 安装指南",
      page: 7,
      heading: en ? "Wi-Fi › Reset" : "Wi-Fi › 重置",
      text: en
        ? "To reset the Wi-Fi settings, hold the Wi-Fi button for ten seconds until the light blinks amber. The printer restarts and waits for a new network; the print queue is kept."
        : "要重置 Wi-Fi 设置，请按住 Wi-Fi 按钮十秒，直到指示灯闪烁琥珀色。打印机会重启并等待新的网络，打印队列会保留。",
    },
    {
      path: `${MANUALS}/troubleshooting.md`,
      title: en ? "Troubleshooting" : "故障排除",
      page: null,
      heading: en ? "Paper jams" : "卡纸",
      text: en
        ? "Most paper jams come from paper heavier than 120 g/m². Open the rear cover, pull the sheet out slowly with both hands, and never use the manual feed for card stock."
        : "大多数卡纸是因为纸张重于 120 g/m²。打开后盖，用双手慢慢拉出纸张；卡纸板切勿使用手动进纸。",
    },
    {
      path: NOTES,
      title: en ? "Tides" : "潮汐",
      page: null,
      heading: en ? "Lisbon › Spring tides" : "里斯本 › 大潮",
      text: en
        ? "Spring tides in Lisbon reach about 3.8 m, two days after the new and the full moon. High tide comes roughly 50 minutes later each day."
        : "里斯本的大潮约 3.8 米，出现在新月和满月后两天。高潮每天大约推迟 50 分钟。",
    },
  ];
}

/** Whether a knowledge base that indexes images reads `path` as one. */
export function isImagePath(path: string): boolean {
  return /\.(png|jpe?g|webp|gif)$/i.test(path);
}

/** An image of the manuals, found by what it shows: cited by the sample reply. */
export const PAPER_PATH: Passage = {
  path: `${MANUALS}/diagrams/paper-path.png`,
  title: "paper-path.png",
  page: null,
  heading: "",
  text: "",
  image: true,
};

/** The citation part of a passage, as a reply stores it. */
export function citationOf(passage: Passage): Part {
  const where = [passage.page !== null ? `p. ${passage.page}` : null, passage.heading || null];
  return {
    type: "citation",
    source: passage.path,
    title: passage.title,
    locator: where.filter(Boolean).join(" · ") || null,
    snippet: passage.text,
    ...(passage.image ? { image: true } : {}),
  };
}

/**
 * `?knowledge`: a conversation whose first reply cites three passages (and mentions a `[7]`
 * with no source, and `[1]` in code, both plain), the second of which found nothing.
 */
export function addKnowledgeSamples(
  conversations: Conversation[],
  messages: Map<string, Message[]>,
  chinese: boolean,
  baseName: string,
  now: number,
): void {
  const id = "knowledge-conv";
  conversations.unshift({
    id,
    agentId: null,
    title: chinese ? "在 Linux 上安装打印机" : "Setting up the printer on Linux",
    status: "active",
    pinned: false,
    toolsEnabled: true,
    createdAt: now - 120_000,
    updatedAt: now - 10_000,
  });
  const cited = passagesOf(chinese).slice(0, 3);
  const answer = chinese
    ? "先安装 CUPS 驱动包，再在“设置 › 打印机”中添加打印机 [1]。如果之前连过别的网络，先按住 Wi-Fi 按钮十秒重置 [2]。厚卡纸不要走手动进纸，否则容易卡纸 [3]。\n\n驱动包名可用 `lpinfo -m | grep LX [1]` 查看（第 [7] 条不存在）。"
    : "Install the CUPS driver package, then add the printer from Settings › Printers [1]. If it was on another network before, reset its Wi-Fi by holding the button for ten seconds [2]. Avoid the manual feed for card stock, which jams [3].\n\nFind the driver's name with `lpinfo -m | grep LX [1]` (there is no source [7]).";
  const base = { conversationId: id, inContext: true, ...lineFields(), state: "complete" as const };
  const ask = (seq: number, content: string): Message => ({
    ...base,
    id: `knowledge-q${seq}`,
    seq,
    role: "user",
    content,
    parts: [{ type: "text", text: content }],
    createdAt: now - 100_000 + seq * 1000,
    meta: {},
  });
  const reply = (seq: number, content: string, parts: Part[]): Message => ({
    ...base,
    id: `knowledge-a${seq}`,
    seq,
    role: "assistant",
    content,
    parts: [...parts, { type: "text", text: content }],
    createdAt: now - 100_000 + seq * 1000,
    meta: { model: "gpt-4o-mini", totalMs: 3100 },
  });
  const none = chinese
    ? "手册中没有提到保修期限，建议查看购买凭证。"
    : "The manuals do not say how long the warranty lasts; your receipt should.";
  messages.set(id, [
    ask(1, chinese ? "怎样在 Linux 上安装这台打印机？" : "How do I set up the printer on Linux?"),
    reply(2, answer, [
      { type: "retrieval", bases: [baseName], passages: cited.length + 1 },
      ...[...cited, PAPER_PATH].map(citationOf),
    ]),
    ask(3, chinese ? "保修期多长？" : "How long is the warranty?"),
    reply(4, none, [{ type: "retrieval", bases: [baseName], passages: 0 }]),
  ]);
}

/** The files of the manuals folder, in the order they are indexed. */
export const MANUAL_FILES = [
  "setup-guide.pdf",
  "troubleshooting.md",
  "warranty-scan.pdf",
  "quick-start.pdf",
  "network.md",
  "old-manual.pdf",
  "drivers/linux.md",
  "drivers/macos.md",
  "drivers/windows.md",
  "maintenance.pdf",
  "specifications.pdf",
  "faq.md",
];

/** What indexing a sample file ends in: a scan has no text, an old manual is damaged. */
export function outcomeOf(name: string): Outcome {
  if (name.includes("scan")) return { status: "no_text", error: "scanned_document", chunks: 0 };
  if (name.startsWith("old")) return { status: "failed", error: "damaged_file", chunks: 0 };
  return { status: "indexed", error: null, chunks: 4 + (name.length % 9) };
}

/** Passages with the query's words, best first, each with its index and a score in (0, 1]. */
export function rank(passages: Passage[], query: string, limit: number) {
  const needle = query.trim().toLowerCase();
  const words = needle.split(/\s+/).filter((w) => w.length > 1);
  return passages
    .map((passage, index) => {
      const text = `${passage.title} ${passage.heading} ${passage.text}`.toLowerCase();
      const found = words.filter((w) => text.includes(w)).length + (text.includes(needle) ? 1 : 0);
      return { passage, index, score: found / (words.length + 1) };
    })
    .filter(({ score }) => needle !== "" && score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** What a folder added on the page holds (a scan among it). */
export const FOLDER_FILES = [
  "intro.md",
  "chapter-1.pdf",
  "chapter-2.pdf",
  "notes.txt",
  "scan-001.pdf",
];

/** The two sample bases: manuals with an embedding model, and keyword-only notes. */
export function sampleInputs(
  chinese: boolean,
): [Required<KnowledgeBaseInput>, Required<KnowledgeBaseInput>] {
  const settings = { rerankModel: null, chunkOverlap: 64, topK: 5, indexImages: false };
  return [
    {
      ...settings,
      name: chinese ? "打印机手册" : "Printer manuals",
      providerId: "prov-1",
      embeddingModel: "text-embedding-3-small",
      chunkTokens: 512,
      contextTokens: 4000,
    },
    {
      ...settings,
      name: chinese ? "研究笔记" : "Research notes",
      providerId: null,
      embeddingModel: "",
      chunkTokens: 400,
      contextTokens: 2000,
    },
  ];
}
