/**
 * Text-level preparation of a reply before it is parsed: math delimiters normalised, and the
 * text cut into top-level blocks so that a streaming reply only re-renders its last block.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * `\(…\)` and `\[…\]` (common in model output) become `$…$` and `$$…$$`, outside fenced code
 * and inline code spans. An escaped backslash (`\\(`) is left alone.
 */
export function normaliseMathDelimiters(text: string): string {
  if (!text.includes("\\(") && !text.includes("\\[")) return text;
  const lines = text.split("\n");
  let fence: string | null = null;
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length > 0) out.push(replaceOutsideCodeSpans(prose.join("\n")));
    prose = [];
  };
  for (const line of lines) {
    const marker = FENCE.exec(line)?.[1];
    if (fence === null && marker) {
      flush();
      fence = marker;
      out.push(line);
    } else if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      out.push(line);
    } else {
      prose.push(line);
    }
  }
  flush();
  return out.join("\n");
}

function replaceOutsideCodeSpans(text: string): string {
  // Odd entries of the split are inline code spans (with their backticks): kept as they are.
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            // On lines of its own: a display block (`$$` alone on a line opens one).
            .replace(/^([ \t]*)\\\[([\s\S]+?)\\\][ \t]*$/gm, (m, ind: string, body: string) =>
              body.includes("$") ? m : `${ind}$$\n${body.replace(/^\n+|\n+$/g, "")}\n${ind}$$`,
            )
            .replace(/(^|[^\\])\\\[([\s\S]+?)\\\]/g, (_m, pre: string, body: string) =>
              body.includes("$") ? _m : `${pre}$$${body}$$`,
            )
            .replace(/(^|[^\\])\\\(([\s\S]+?)\\\)/g, (_m, pre: string, body: string) =>
              body.includes("$") || body.includes("\n\n") ? _m : `${pre}$${body}$`,
            ),
    )
    .join("");
}

/**
 * Cuts `text` into top-level blocks at blank lines, never inside a fenced code block or a
 * `$$` math block, and not where the next line is indented (a list item or indented code
 * continuing). Rendering the blocks one by one gives the same result for ordinary replies.
 */
export function splitBlocks(text: string): string[] {
  // Reference-style links resolve across the whole text: such replies are kept whole.
  if (/^ {0,3}\[[^\]]+\]:\s/m.test(text)) return [text];
  const lines = text.split("\n");
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let inMath = false;
  let blankBefore = false;
  for (const line of lines) {
    const marker = FENCE.exec(line)?.[1];
    const trimmed = line.trim();
    if (fence === null && !inMath && blankBefore && trimmed !== "" && !/^\s/.test(line)) {
      if (current.some((l) => l.trim() !== "")) {
        blocks.push(current.join("\n"));
        current = [];
      }
    }
    current.push(line);
    if (fence === null && !inMath && marker) {
      fence = marker;
    } else if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (trimmed === "$$" || (trimmed.startsWith("$$") && !trimmed.slice(2).includes("$$"))) {
      inMath = !inMath;
    }
    blankBefore = trimmed === "";
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  return blocks;
}
