import type { Element, ElementContent, Root, RootContent } from "hast";
import type { KatexOptions } from "katex";
import rehypeHighlight from "rehype-highlight";
import type { Options as HighlightOptions } from "rehype-highlight";
import rehypeKatex from "rehype-katex";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import type { PluggableList } from "unified";
import { LANGUAGES } from "./languages";

/** Code blocks larger than this are shown as plain text: highlighting them would stall. */
export const HIGHLIGHT_MAX_CHARS = 20_000;
export const HIGHLIGHT_MAX_LINES = 1_000;

function codeText(node: ElementContent | RootContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(codeText).join("");
  return "";
}

function isTooLarge(code: Element): boolean {
  const text = codeText(code);
  if (text.length > HIGHLIGHT_MAX_CHARS) return true;
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (++lines > HIGHLIGHT_MAX_LINES) return true;
  }
  return false;
}

/** Marks oversized `<pre><code>` blocks `no-highlight` so rehype-highlight skips them. */
function rehypeCapHighlight() {
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== "element") continue;
      if (child.tagName === "pre") {
        for (const code of child.children) {
          if (code.type === "element" && code.tagName === "code" && isTooLarge(code)) {
            const classes = Array.isArray(code.properties.className)
              ? code.properties.className
              : [];
            code.properties.className = [...classes, "no-highlight"];
          }
        }
      } else {
        walk(child);
      }
    }
  };
  return (tree: Root) => walk(tree);
}

const highlightOptions: HighlightOptions = {
  languages: LANGUAGES,
  // Guessing the language of unlabelled blocks costs a pass per grammar: not done.
  detect: false,
};

/**
 * Model output is untrusted: `trust: false` refuses `\href`, `\url`, `\htmlClass`,
 * `\includegraphics` and the like; bad input renders as an error span instead of throwing;
 * size and macro expansion are bounded.
 */
export const katexOptions: KatexOptions = {
  trust: false,
  strict: "ignore",
  throwOnError: false,
  maxSize: 50,
  maxExpand: 1000,
  output: "htmlAndMathml",
};

export const remarkPlugins: PluggableList = [remarkGfm, remarkMath];
export const rehypePlugins: PluggableList = [
  rehypeCapHighlight,
  [rehypeHighlight, highlightOptions],
  [rehypeKatex, katexOptions],
];
