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

/** A list item's first line: its marker (`-`, `*`, `+`, `1.`, `1)`). */
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]/;
/** A list kept whole across blank lines is still cut between items past this size. */
const LIST_BLOCK_MAX_CHARS = 8_000;
/** Reference-style link definitions resolve across the whole text. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s/m;

/** Where a block starts in the text, and its text. */
export interface Block {
  start: number;
  text: string;
}

/** The list marker kind of `line` (`-`, `1.`…), so items of one list stay together. */
function listKind(line: string): string | null {
  const marker = LIST_ITEM.exec(line)?.[1];
  if (!marker) return null;
  return /\d/.test(marker) ? `n${marker.at(-1)}` : marker;
}

/**
 * Cuts `text` into top-level blocks at blank lines, never inside a fenced code block or a
 * `$$` / `\[` math block, not where the next line is indented (a list item or indented code
 * continuing), and not between the items of one list (a loose list, with blank lines between
 * its items, stays one list). Rendering the blocks one by one gives the same result for
 * ordinary replies. `from` is where to start; block starts are offsets into `text`.
 */
function cut(text: string, from = 0): Block[] {
  const blocks: Block[] = [];
  let start = from;
  let pos = from;
  let hasText = false;
  let fence: string | null = null;
  let inMath = false;
  let inBracketMath = false;
  let blankBefore = false;
  let list: string | null = null;
  while (pos <= text.length) {
    const newline = text.indexOf("\n", pos);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const trimmed = line.trim();
    const marker = FENCE.exec(line)?.[1];
    const open = fence !== null || inMath || inBracketMath;
    if (!open && blankBefore && trimmed !== "" && !/^\s/.test(line) && hasText) {
      const kind = listKind(line);
      const sameList = kind !== null && kind === list && pos - start < LIST_BLOCK_MAX_CHARS;
      if (!sameList) {
        blocks.push({ start, text: text.slice(start, pos - 1) });
        start = pos;
        hasText = false;
        list = kind;
      }
    }
    if (!hasText && trimmed !== "") list = listKind(line);
    if (trimmed !== "") hasText = true;
    if (fence === null && !inMath && !inBracketMath && marker) {
      fence = marker;
    } else if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (inBracketMath) {
      if (line.includes("\\]")) inBracketMath = false;
    } else if (trimmed === "$$" || (trimmed.startsWith("$$") && !trimmed.slice(2).includes("$$"))) {
      inMath = !inMath;
    } else if (!inMath && trimmed.startsWith("\\[") && !trimmed.includes("\\]")) {
      inBracketMath = true;
    }
    blankBefore = trimmed === "";
    if (newline === -1) break;
    pos = newline + 1;
  }
  blocks.push({ start, text: text.slice(start) });
  return blocks;
}

export function splitBlocks(text: string): string[] {
  if (REFERENCE_DEFINITION.test(text)) return [text];
  return cut(text).map((b) => b.text);
}

/** What `splitGrowing` remembers between calls: the text it split and where blocks start. */
export interface SplitState {
  text: string;
  blocks: Block[];
  whole: boolean;
  /** Changes when the text was split afresh (it did not grow): earlier blocks may differ. */
  generation: number;
}

/**
 * `splitBlocks` for a text that grows at its end (a streaming reply): when `text` extends
 * `previous.text`, only the last block is cut again — the blocks before it are final,
 * because a block boundary is only ever found outside code, math and lists. The splitter
 * state at a block's start is always the initial one, so the result is the same as
 * splitting the whole text, in time proportional to the last block.
 */
export function splitGrowing(text: string, previous: SplitState | null): SplitState {
  if (previous && !previous.whole && text.startsWith(previous.text)) {
    // A boundary is final once the line that starts the next block is whole: the list
    // marker test reads its first characters. A last block still on its first line may
    // yet join the block before it, so that one is cut again too.
    let k = previous.blocks.length - 1;
    if (k > 0 && !previous.blocks[k]!.text.includes("\n")) k -= 1;
    const kept = previous.blocks.slice(0, k);
    const from = previous.blocks[k]?.start ?? 0;
    const { generation } = previous;
    if (REFERENCE_DEFINITION.test(text.slice(from))) {
      return { text, blocks: [{ start: 0, text }], whole: true, generation: generation + 1 };
    }
    const tail = cut(text, from);
    // Unchanged blocks keep their string, so memoized renders compare equal at once.
    return { text, blocks: [...kept, ...tail], whole: false, generation };
  }
  const generation = (previous?.generation ?? 0) + 1;
  if (REFERENCE_DEFINITION.test(text)) {
    return { text, blocks: [{ start: 0, text }], whole: true, generation };
  }
  return { text, blocks: cut(text), whole: false, generation };
}

/** Deeper than this, `>` quotes and list markers on one line are dropped before parsing. */
export const MAX_NESTING = 32;
const CONTAINER_MARKER = /[ \t]{0,3}(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]+)/y;

/**
 * Bounds how deeply one line nests quotes and lists: the parser, the syntax tree and
 * React all recurse per level, and a line of 10,000 `>` would take the page down. The
 * markers past `max` are dropped; the line's text stays. Fenced code is left as it is.
 */
export function capNesting(text: string, max = MAX_NESTING): string {
  if (!/(?:[>*+-]|\d[.)])[ \t>]/.test(text)) return text;
  const lines = text.split("\n");
  let fence: string | null = null;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    let depth = 0;
    let end = 0;
    let keep = 0;
    CONTAINER_MARKER.lastIndex = 0;
    while (CONTAINER_MARKER.exec(line) !== null) {
      depth += 1;
      end = CONTAINER_MARKER.lastIndex;
      if (depth === max) keep = end;
    }
    if (depth > max) {
      lines[i] = line.slice(0, keep) + line.slice(end);
      changed = true;
    }
  }
  return changed ? lines.join("\n") : text;
}
