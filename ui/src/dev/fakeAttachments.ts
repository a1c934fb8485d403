/**
 * The fake core's attachments (see `fakeCore.ts`; the unit tests' core uses them too): a
 * file is "read" by its name, as believable parts. Images get a generated PNG; a PDF has
 * pages (`handbook.pdf`: too long for a conversation); `scan.pdf` has no text layer,
 * `locked.pdf` a password, `broken.*` is damaged, `.exe` and `.zip` are refused, and a
 * name with `slow` (or a PDF of 100 pages or more) takes a while, so it can be cancelled.
 * Models: gpt-4o, gpt-4.1, gpt-5, claude, gemini, *-vl, llava, pixtral and *-vision see
 * images; deepseek-chat and llama3.1 do not.
 */
import type { Conversation, Message, ModelCapabilities, Part } from "../bindings";
import { problem, refuse } from "./fakeProblems";
import { tinyPngDataUrl } from "./fakePng";
import { lineFields } from "./lineMessage";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

type Media = Extract<Part, { type: "image" } | { type: "file" }>;

interface Blob {
  part: Media;
  dataUrl?: string;
  text?: string;
}

const IMAGE_MIME: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};
const DOCUMENT_MIME: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  html: "text/html",
  rs: "text/x-rust",
  ts: "text/typescript",
  py: "text/x-python",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** Tokens a page of the fake documents takes, and the fake conversations' budget. */
const TOKENS_PER_PAGE = 620;
const BUDGET = 16_000;

const VISION = /gpt-4o|gpt-4\.1|gpt-5|claude|gemini|-vl|llava|pixtral|vision|gemma3|glm-4v/i;
const KNOWN = /^(gpt-|deepseek-(chat|reasoner)$)/i;

/** A stable stand-in for a SHA-256: 64 hex digits from the name and size. */
function fakeHash(seed: string): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (const c of `${seed}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}

const extension = (name: string) => name.split(".").pop()?.toLowerCase() ?? "";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pageText(name: string, pages: number | null, chinese: boolean): string {
  const body = chinese
    ? "这是一段示例文字，说明附件的文本如何被读出并发送给模型。"
    : "This is sample text, standing in for what was read out of the attached file.";
  if (pages === null) return `# ${name}\n\n${body}\n${body}\n`;
  return Array.from(
    { length: pages },
    (_, i) => `${chinese ? `第 ${i + 1} 页` : `Page ${i + 1}`}\n\n${body} ${body}\n`,
  ).join("\n");
}

export function createAttachments(chinese: boolean, slowMs = 2500) {
  const blobs = new Map<string, Blob>();
  const cancelled = new Set<string>();
  const visionSetByUser = new Map<string, boolean>();
  const capabilities = (providerId: string, model: string): ModelCapabilities => {
    const user = visionSetByUser.get(`${providerId}\n${model}`);
    if (user !== undefined) return { vision: user, source: "user" };
    return { vision: VISION.test(model), source: KNOWN.test(model) ? "known" : "guess" };
  };

  function image(name: string, bytes: number, dataUrl?: string): Media {
    const sha256 = fakeHash(`${name}:${bytes}`);
    const h = parseInt(sha256.slice(0, 6), 16);
    const from: [number, number, number] = [(h >> 16) & 255, 120, 200];
    const to: [number, number, number] = [250, (h >> 8) & 255, 120];
    const mime = IMAGE_MIME[extension(name)] ?? "image/png";
    const part: Media = { type: "image", sha256, mime, name, width: 1600, height: 1200 };
    blobs.set(sha256, { part, dataUrl: dataUrl ?? tinyPngDataUrl(240, 180, from, to) });
    return part;
  }

  function document(name: string, bytes: number): Media | Promise<never> {
    const ext = extension(name);
    const lower = name.toLowerCase();
    const mime = DOCUMENT_MIME[ext];
    if (!mime) return refuse(fail, problem("path", "unsupported_file", { value: name }));
    if (lower.includes("broken")) {
      return refuse(fail, problem("path", "damaged_file", { value: name, detail: "bad xref" }));
    }
    if (lower.includes("locked")) return refuse(fail, problem("path", "encrypted_document"));
    if (lower.includes("scan"))
      return refuse(fail, problem("path", "scanned_document", { count: 4 }));
    const pages =
      ext === "pdf" ? (lower.includes("handbook") ? 140 : 12) : ext === "pptx" ? 18 : null;
    const text = pageText(name, pages, chinese);
    const tokens = pages === null ? Math.ceil(text.length / 4) : pages * TOKENS_PER_PAGE;
    const sha256 = fakeHash(`${name}:${bytes}`);
    const part: Media = {
      type: "file",
      sha256,
      name,
      mime,
      bytes,
      chars: pages === null ? text.length : pages * 2480,
      pages,
      tokens,
      truncated: false,
      pagesSent: null,
    };
    blobs.set(sha256, { part, text });
    return part;
  }

  async function read(attachId: string, name: string, bytes: number, dataUrl?: string) {
    const ext = extension(name);
    const slow = name.toLowerCase().includes("slow") || name.toLowerCase().includes("handbook");
    if (slow) await sleep(slowMs);
    if (cancelled.delete(attachId)) return refuse(fail, problem("", "cancelled"));
    if (IMAGE_MIME[ext]) return image(name, bytes, dataUrl);
    return document(name, bytes);
  }

  const sizeOf = (name: string) => 48_000 + (parseInt(fakeHash(name).slice(0, 5), 16) % 900_000);

  const canSee = (providerId: string, model: string) =>
    visionSetByUser.get(`${providerId}\n${model}`) ?? VISION.test(model);

  const handlers = {
    chooseAttachmentPaths: () => [
      "/home/you/Pictures/harbour.jpg",
      "/home/you/Documents/quarterly-report.pdf",
    ],
    attachPath: (attachId, path) => read(attachId, path.split(/[\\/]/).pop() ?? path, sizeOf(path)),
    attachBytes: (attachId, name, dataBase64) => {
      const bytes = Math.floor((dataBase64.length * 3) / 4);
      const png = dataBase64.startsWith("iVBOR");
      const jpeg = dataBase64.startsWith("/9j/");
      // A real pasted image is shown as itself.
      const dataUrl =
        png || jpeg ? `data:image/${png ? "png" : "jpeg"};base64,${dataBase64}` : undefined;
      const named =
        dataUrl && !IMAGE_MIME[extension(name)] ? `${name}.${png ? "png" : "jpg"}` : name;
      return read(attachId, named, bytes, dataUrl);
    },
    cancelAttach: (attachId) => {
      cancelled.add(attachId);
    },
    attachmentText: (sha256, maxChars) => {
      const blob = blobs.get(sha256);
      if (blob?.text === undefined) return fail("not_found", `no file ${sha256}`);
      const chars = [...blob.text];
      const part = blob.part;
      return {
        text: chars.slice(0, maxChars).join(""),
        chars: chars.length,
        pages: part.type === "file" ? (part.pages ?? null) : null,
        truncated: chars.length > maxChars,
      };
    },
    imageDataUrl: (sha256) => {
      const url = blobs.get(sha256)?.dataUrl;
      return url ?? fail("not_found", `no image ${sha256}`);
    },
    modelCapabilities: (providerId, model) => capabilities(providerId, model),
    setModelVision: (providerId, model, vision) => {
      if (vision === null) visionSetByUser.delete(`${providerId}\n${model}`);
      else visionSetByUser.set(`${providerId}\n${model}`, vision);
      return capabilities(providerId, model);
    },
    attachmentFit: (_conversationId, sha256) => {
      const part = blobs.get(sha256)?.part;
      if (part?.type !== "file") return fail("not_found", `no file ${sha256}`);
      const tokens = part.tokens ?? 0;
      const fits = tokens <= BUDGET;
      return {
        tokens,
        budget: BUDGET,
        pagesThatFit: fits || !part.pages ? null : Math.floor(BUDGET / TOKENS_PER_PAGE),
      };
    },
  } satisfies Partial<CoreHandlers>;

  /**
   * Refuses what the core refuses before storing a message: an attachment it does not
   * hold, or images for a model that cannot see them. Returns the parts as stored.
   */
  function accept(
    attachments: Part[],
    route: { providerId: string; model: string } | null,
  ): Media[] | Promise<never> {
    const stored: Media[] = [];
    for (const part of attachments) {
      if (part.type !== "image" && part.type !== "file") continue;
      const blob = blobs.get(part.sha256);
      if (!blob)
        return refuse(
          fail,
          problem("attachments", "attachment_missing", { value: part.name ?? "" }),
        );
      stored.push(
        part.type === "file" && blob.part.type === "file"
          ? { ...blob.part, pagesSent: part.pagesSent ?? null }
          : blob.part,
      );
    }
    if (route && stored.some((p) => p.type === "image") && !canSee(route.providerId, route.model)) {
      return refuse(
        fail,
        problem("attachments", "model_cannot_see_images", { value: route.model }),
      );
    }
    return stored;
  }

  /** What the attachments take, for the data dialog. */
  const totalBytes = () =>
    [...blobs.values()].reduce(
      (sum, b) => sum + (b.part.type === "file" ? (b.part.bytes ?? 0) : 310_000),
      0,
    );

  /** `?attachments`: a conversation whose first message carries an image and a PDF. */
  function addSamples(
    conversations: Conversation[],
    messages: Map<string, Message[]>,
    now: number,
  ) {
    const id = "fake-attachments";
    conversations.unshift({
      id,
      agentId: null,
      title: chinese ? "港口照片与季度报告" : "Harbour photo and quarterly report",
      status: "active",
      pinned: false,
      toolsEnabled: true,
      createdAt: now - 3_600_000,
      updatedAt: now - 60_000,
    });
    const photo = image("harbour.jpg", 812_000);
    const report = document("quarterly-report.pdf", 402_112) as Media;
    const base = { conversationId: id, inContext: true, state: "complete" as const, meta: {} };
    const question = chinese
      ? "照片里的港口和报告里说的是同一个吗？"
      : "Is the harbour in the photo the one the report describes?";
    const answer = chinese
      ? "是的，报告第 3 页描述的正是照片中的港口。"
      : "Yes: page 3 of the report describes the harbour in the photo.";
    messages.set(id, [
      {
        ...base,
        ...lineFields(),
        id: "att-1",
        seq: 1,
        role: "user",
        content: question,
        createdAt: now - 120_000,
        parts: [{ type: "text", text: question }, photo, report],
      },
      {
        ...base,
        ...lineFields(),
        id: "att-2",
        seq: 2,
        role: "assistant",
        content: answer,
        createdAt: now - 60_000,
      },
    ]);
  }

  return { handlers, accept, totalBytes, addSamples };
}
