import { Children, isValidElement, memo, useState } from "react";
import type { ComponentProps, MouseEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import ReactMarkdown from "react-markdown";
import type { Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CheckIcon, CopyIcon } from "../../../components/ui/icons";

/**
 * Model output is untrusted. Raw HTML in it is shown as text (no rehype-raw), unsafe URL
 * schemes are dropped by react-markdown's default URL filter, images are not fetched, and
 * links never navigate the app's own window.
 */

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map((n: ReactNode) => textOf(n)).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}

function handleLinkClick(event: MouseEvent<HTMLAnchorElement>) {
  // Opening in the system browser comes with the opener plugin; until then a click must
  // not replace the app with a web page.
  event.preventDefault();
}

function Link({ href, children, title }: ComponentProps<"a">) {
  return (
    <a href={href} title={title ?? href} target="_blank" rel="noreferrer" onClick={handleLinkClick}>
      {children}
    </a>
  );
}

/** Remote images would let a reply call home; show where it points instead. */
function Image({ alt, src }: ComponentProps<"img">) {
  const { t } = useTranslation();
  const label = alt ? t("chat.image", { alt }) : t("chat.imageNoAlt");
  return (
    <span className="md-image" title={typeof src === "string" ? src : undefined}>
      {label}
    </span>
  );
}

function CodeBlock({ children }: ComponentProps<"pre">) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const child = Children.toArray(children)[0];
  const className = isValidElement<{ className?: string }>(child)
    ? (child.props.className ?? "")
    : "";
  const language = /language-([\w+#-]+)/.exec(className)?.[1];

  const copy = () => {
    void navigator.clipboard?.writeText(textOf(children).replace(/\n$/, "")).then(() => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    });
  };

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

const remarkPlugins = [remarkGfm];

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
