/**
 * Turns the `[1]`, `[2]` a reply writes to cite its sources into `<sup class="cite-ref"
 * data-cite="1">` elements, which `CiteRef` draws as links to the sources under the reply
 * (or as the plain text again when the reply has no such source). Only prose is touched:
 * code, math and the text of links keep their brackets. No raw HTML is involved, so the
 * renderer's sanitizing stays as it is.
 */
import type { Link, LinkReference, Parent, PhrasingContent, Root, RootContent, Text } from "mdast";

/** A number in brackets, up to three digits (a reply never has a thousand sources). */
const CITE = /\[(\d{1,3})\]/g;

/** The mdast node a citation becomes: rendered as `<sup>` by mdast-util-to-hast. */
function citeNode(n: number): PhrasingContent {
  return {
    type: "emphasis",
    data: { hName: "sup", hProperties: { className: ["cite-ref"], dataCite: n } },
    children: [{ type: "text", value: `[${n}]` }],
  };
}

/** `text` cut into plain pieces and citations; null when it cites nothing. */
export function splitCitations(text: Text): PhrasingContent[] | null {
  const value = text.value;
  const out: PhrasingContent[] = [];
  let at = 0;
  for (const match of value.matchAll(CITE)) {
    const n = Number(match[1]);
    if (n === 0) continue;
    if (match.index > at) out.push({ type: "text", value: value.slice(at, match.index) });
    out.push(citeNode(n));
    at = match.index + match[0].length;
  }
  if (out.length === 0) return null;
  if (at < value.length) out.push({ type: "text", value: value.slice(at) });
  return out;
}

function isLink(node: RootContent): node is Link | LinkReference {
  return node.type === "link" || node.type === "linkReference";
}

function walk(node: Parent): void {
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.type === "text") {
      const pieces = splitCitations(child);
      if (pieces) {
        children.splice(i, 1, ...(pieces as RootContent[]));
        i += pieces.length - 1;
      }
    } else if ("children" in child && !isLink(child)) {
      walk(child);
    }
  }
}

export function remarkCitations() {
  return (tree: Root) => walk(tree);
}
