/**
 * The attachment commands of the dev fake core: files "read" by their names (an image by
 * its extension, anything else as a short text document), kept in memory by a made-up
 * hash. `?dialogCancel` makes the file picker choose nothing.
 */
import type { Part } from "../bindings";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const HOME = "/home/you";
/** A 1×1 grey PNG, for every fake image. */
const PIXEL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4AwAAzwDNIOG3TgAAAABJRU5ErkJggg==";

export function createAttachments(params: URLSearchParams) {
  const texts = new Map<string, string>();
  let next = 0;

  function attach(name: string, size: number): Part {
    next += 1;
    const sha256 = next.toString(16).padStart(64, "0");
    const base = name.split(/[/\\]/).pop() || "file";
    if (/\.(png|jpe?g|gif|webp)$/i.test(base)) {
      return { type: "image", sha256, mime: "image/jpeg", name: base, width: 1, height: 1 };
    }
    const text = `## ${base}\n\nThe text read out of ${base}.`;
    texts.set(sha256, text);
    return {
      type: "file",
      sha256,
      name: base,
      mime: "text/plain",
      bytes: size,
      chars: text.length,
      tokens: Math.ceil(text.length / 4),
      truncated: false,
    };
  }

  return {
    chooseAttachmentPaths: () =>
      params.has("dialogCancel")
        ? []
        : [`${HOME}/Pictures/photo.jpg`, `${HOME}/Documents/report.pdf`],
    attachPath: (_attachId, path) => attach(path, 48_000),
    attachBytes: (_attachId, name, dataBase64) =>
      attach(name, Math.floor((dataBase64.length * 3) / 4)),
    cancelAttach: () => undefined,
    attachmentText: (sha256, maxChars) => {
      const text = texts.get(sha256);
      if (text === undefined) return fail("not_found", `no attachment text ${sha256}`);
      return {
        text: text.slice(0, maxChars),
        chars: text.length,
        pages: null,
        truncated: text.length > maxChars,
      };
    },
    imageDataUrl: (sha256) =>
      texts.has(sha256)
        ? refuse(fail, problem("sha256", "wrong_format", { value: "image" }))
        : PIXEL,
  } satisfies Partial<CoreHandlers>;
}
