import { Children, isValidElement, memo, useState } from "react";
import type { ComponentProps, MouseEvent, ReactElement, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import ReactMarkdown from "react-markdown";
import type { Components } from "react-markdown";
import { CheckIcon, CopyIcon } from "../../../components/ui/icons";
import { openUrl } from "../../../ipc";
import { capNesting, normaliseMathDelimiters, splitGrowing } from "../markdown/blocks";
import type { Block, SplitState } from "../markdown/blocks";
import { useCopied } from "../hooks/useCopied";
import { remarkPlugins } from "../markdown/plugins";
import { CiteRef } from "../sources/CiteRef";
import { needsOf, rehypePluginsFor, useRichVersion } from "../markdown/richPlugins";
import { remember, recall } from "../markdown/renderCache";

/**
 * Model output is untrusted. Raw HTML in it is shown as text (no rehype-raw), links with
 * other schemes than http, https and mailto are shown as plain text, images are not fetched,
 * math runs with KaTeX's `trust: false`, and a link click opens the system browser instead of
 * navigating the app's own window.
 */

const SAFE_LINK = /^(https?|mailto):/i;

/** Keeps only http, https and mailto URLs; anything else is dropped. */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  return SAFE_LINK.test(trimmed) ? trimmed : "";
}

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map((n: ReactNode) => textOf(n)).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}

function Link({ href, children, title }: ComponentProps<"a">) {
  if (!href || !SAFE_LINK.test(href)) return <span className="md-link-dropped">{children}</span>;
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    // Never navigate the app's own window: the system browser opens the link.
    event.preventDefault();
    void openUrl(href).catch(() => undefined);
  };
  return (
    <a href={href} title={title ?? href} target="_blank" rel="noreferrer" onClick={open}>
      {children}
    </a>
  );
}

/** Remote images would let a reply call home: shown as a link to where it points instead. */
function Image({ alt, src }: ComponentProps<"img">) {
  const { t } = useTranslation();
  const label = alt ? t("chat.image", { alt }) : t("chat.imageNoAlt");
  const href = typeof src === "string" ? safeUrl(src) : "";
  if (!href) return <span className="md-image">{label}</span>;
  return (
    <Link href={href} title={href}>
      <span className="md-image">{label}</span>
    </Link>
  );
}

function CodeBlock({ children }: ComponentProps<"pre">) {
  const { t } = useTranslation();
  const [copied, copyText] = useCopied();
  const child = Children.toArray(children)[0];
  const className = isValidElement<{ className?: string }>(child)
    ? (child.props.className ?? "")
    : "";
  const language = /language-([\w+#-]+)/.exec(className)?.[1];

  const copy = () => copyText(textOf(children).replace(/\n$/, ""));

  return (
    <div className="md-code">
      <div className="md-code__bar">
        <span className="md-code__lang">{language ?? ""}</span>
        <button
          type="button"
          className="md-code__copy"
          onClick={copy}
          aria-label={t("chat.copyCode")}
        >
          {copied ? <CheckIcon /> : <CopyIcon />}
          <span>{copied ? t("chat.copied") : t("chat.copyCode")}</span>
        </button>
      </div>
      <pre>{children}</pre>
    </div>
  );
}

function Table({ children }: ComponentProps<"table">) {
  return (
    <div className="md-table">
      <table>{children}</table>
    </div>
  );
}

const components: Components = {
  a: Link,
  img: Image,
  pre: CodeBlock,
  table: Table,
  // A reply's `[n]` citations (see `remarkCitations`).
  sup: CiteRef,
};

const urlTransform = (url: string) => safeUrl(url);

/** Parses and renders one block (react-markdown's function, called so its result can be kept). */
function renderMarkdown(text: string, cacheable: boolean): ReactElement {
  const prepared = capNesting(normaliseMathDelimiters(text));
  const { plugins, key } = rehypePluginsFor(needsOf(prepared));
  const cacheKey = `${key}\u0000${prepared}`;
  const cached = cacheable ? recall(cacheKey) : undefined;
  if (cached) return cached;
  const element = ReactMarkdown({
    children: prepared,
    remarkPlugins,
    rehypePlugins: plugins,
    components,
    urlTransform,
  });
  if (cacheable) remember(cacheKey, element, prepared.length);
  return element;
}

/**
 * One top-level block; memoized so a streaming reply does not re-render finished blocks,
 * and its rendering is kept (`renderCache`) so the stored reply that replaces a streamed
 * one, or a row scrolled back into view, is not parsed again.
 */
const MarkdownBlock = memo(function MarkdownBlock({
  text,
  cacheable = true,
}: {
  text: string;
  cacheable?: boolean;
}) {
  // Renders again when the highlighter or KaTeX arrives.
  useRichVersion();
  return renderMarkdown(text, cacheable);
});

/** A fenced code block still being written: the end fence has not arrived. */
function openFence(block: string): { language: string; code: string } | null {
  const firstLine = block.indexOf("\n");
  const head = firstLine === -1 ? block : block.slice(0, firstLine);
  const fence = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)/.exec(head);
  if (!fence?.[1]) return null;
  const marker = fence[1];
  const close = new RegExp(
    `^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \t]*$`,
    "m",
  );
  const body = firstLine === -1 ? "" : block.slice(firstLine + 1);
  if (close.test(body)) return null;
  return { language: fence[2] ?? "", code: body };
}

/**
 * The code block being written, as plain text: parsing and highlighting it again for each
 * new line would cost more the longer it gets. It is highlighted once it is complete.
 */
function StreamingCode({ language, code }: { language: string; code: string }) {
  return (
    <CodeBlock>
      <code className={language ? `language-${language}` : undefined}>{code}</code>
    </CodeBlock>
  );
}

/** Finished blocks are drawn in groups of this many, each group memoized. */
const GROUP = 32;

/**
 * Blocks `from`–`to` of a split, which never change within one `generation` of it: a
 * growing reply re-renders only its last group, not an element per block of all of it.
 */
const BlockGroup = memo(
  function BlockGroup({
    blocks,
    from,
    to,
  }: {
    blocks: Block[];
    from: number;
    to: number;
    generation: number;
  }) {
    return blocks
      .slice(from, to)
      .map((block, i) => <MarkdownBlock key={from + i} text={block.text} />);
  },
  (a, b) => a.from === b.from && a.to === b.to && a.generation === b.generation,
);

/**
 * A reply as Markdown, cut into top-level blocks rendered separately. While `streaming`,
 * the text only grows: the blocks before the last are final and rendered once; the last
 * is parsed again as it grows, or shown as plain code while it is an unfinished code block.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
}: {
  text: string;
  streaming?: boolean;
}) {
  // The previous split is kept so that a grown text is cut again from its last block only
  // (React's pattern for state derived from the previous props).
  const [split, setSplit] = useState<SplitState>(() => splitGrowing(text, null));
  let current = split;
  if (split.text !== text) {
    current = splitGrowing(text, split);
    setSplit(current);
  }
  const { blocks, generation } = current;
  // Blocks before the last never change within a generation; the last may still grow.
  const finished = blocks.length - 1;
  const groups = [];
  for (let from = 0; from < finished; from += GROUP) {
    const to = Math.min(from + GROUP, finished);
    groups.push(
      <BlockGroup key={from} blocks={blocks} from={from} to={to} generation={generation} />,
    );
  }
  const last = blocks[finished];
  const code = streaming && last ? openFence(last.text) : null;
  return (
    <div className={streaming ? "markdown markdown--streaming" : "markdown"}>
      {groups}
      {code ? (
        <StreamingCode key="tail" {...code} />
      ) : last ? (
        <MarkdownBlock key="tail" text={last.text} cacheable={!streaming} />
      ) : null}
    </div>
  );
});
