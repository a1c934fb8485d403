import type { Element, ElementContent, Root, RootContent } from "hast";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import type { PluggableList } from "unified";
import { remarkCitations } from "../sources/remarkCitations";

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
export function rehypeCapHighlight() {
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

export const remarkPlugins: PluggableList = [remarkGfm, remarkMath, remarkCitations];
