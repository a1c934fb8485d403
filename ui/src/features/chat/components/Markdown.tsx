import { Children, isValidElement, memo, useMemo } from "react";
import type { ComponentProps, MouseEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import ReactMarkdown from "react-markdown";
import type { Components } from "react-markdown";
import { CheckIcon, CopyIcon } from "../../../components/ui/icons";
import { openUrl } from "../../../ipc";
import { normaliseMathDelimiters, splitBlocks } from "../markdown/blocks";
import { useCopied } from "../hooks/useCopied";
import { rehypePlugins, remarkPlugins } from "../markdown/plugins";
import "katex/dist/katex.min.css";

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
};

const urlTransform = (url: string) => safeUrl(url);

/** One top-level block; memoized so a streaming reply does not re-render finished blocks. */
const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      components={components}
      urlTransform={urlTransform}
    >
      {text}
    </ReactMarkdown>
  );
});

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitBlocks(normaliseMathDelimiters(text)), [text]);
  return (
    <div className="markdown">
      {blocks.map((block, i) => (
        // Blocks only grow at the end while streaming: the index is a stable key.
        <MarkdownBlock key={i} text={block} />
      ))}
    </div>
  );
});
