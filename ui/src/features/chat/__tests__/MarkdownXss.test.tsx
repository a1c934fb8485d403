/**
 * Model output is untrusted: hostile markdown must render as inert text and links. Each
 * payload would run code (setting `window.__xss`) or load something if it got through.
 */
import { act, render } from "@testing-library/react";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Markdown } from "../components/Markdown";
import { MessageBubble } from "../components/MessageBubble";
import { message } from "../../../test/fixtures";
import { preloadRichPlugins } from "../markdown/richPlugins";

// Highlighting and math load on first use; these tests are about what they render.
beforeAll(() => preloadRichPlugins());

const PAYLOADS: Record<string, string> = {
  scriptTag: "Hello <script>window.__xss = 'script'</script> world",
  scriptBlock: "<script>\nwindow.__xss = 'block'\n</script>",
  imgOnerror: "<img src=x onerror=\"window.__xss='img'\">",
  markdownImage: "![pixel](https://tracker.example/p.gif?id=1)",
  markdownImageJs: "![x](javascript:window.__xss='mdimg')",
  jsLink: "[click me](javascript:window.__xss='link')",
  jsLinkUpper: "[click](JaVaScRiPt:window.__xss='upper')",
  jsLinkTab: "[tab](jav&#x09;ascript:window.__xss='tab')",
  jsLinkEntity: "[entity](&#106;avascript:window.__xss='entity')",
  jsLinkNewline: "[nl](java\nscript:window.__xss='nl')",
  jsAutolink: "<javascript:window.__xss='autolink'>",
  dataLink: "[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
  vbscriptLink: "[vb](vbscript:msgbox('x'))",
  refLink: "[ref][r]\n\n[r]: javascript:window.__xss='ref'",
  htmlComment: "before <!-- <script>window.__xss='comment'</script> --> after",
  iframe: "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
  iframeRemote: '<iframe src="https://evil.example"></iframe>',
  svgOnload: "<svg onload=\"window.__xss='svg'\"><circle r=10 /></svg>",
  anchorHtml: "<a href=\"javascript:window.__xss='a'\">html link</a>",
  styleTag: "<style>body{background:url(https://evil.example/x)}</style>",
  objectEmbed: '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
  formAction: '<form action="javascript:alert(1)"><button>go</button></form>',
  metaRefresh: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  mathHref:
    "$$\\href{javascript:window.__xss='katex'}{click}$$ and $\\href{javascript:alert(1)}{x}$",
  mathHtml: "$\\htmlId{x}{y}$ $$\\url{javascript:alert(1)}$$",
  mathHrefParens:
    "\\(\\href{javascript:window.__xss='paren'}{x}\\) \\[\\url{javascript:alert(1)}\\]",
  mathHtmlClass: "$\\htmlClass{x}{y}$ $\\htmlStyle{background:url(https://evil.example)}{y}$",
  mathHtmlData: "$$\\htmlData{onclick=alert(1)}{y}$$",
  mathIncludeGraphics: "$\\includegraphics{https://evil.example/x.png}$",
  mathHrefData: "$\\href{data:text/html,<script>alert(1)</script>}{d}$",
  mathMacroBomb:
    "$\\def\\a{\\b\\b}\\def\\b{\\c\\c}\\def\\c{\\d\\d}\\def\\d{xxxxxxxxxx}\\a\\a\\a\\a\\a\\a\\a\\a$",
  mathHugeRule: "$\\rule{100000em}{100000em}$",
  mathInCode:
    "`$\\href{javascript:alert(1)}{x}$` and ```\n\\(\\href{javascript:alert(1)}{x}\\)\n```",
  codeFenceHtml: "```html\n<script>window.__xss='code'</script><img src=x onerror=alert(1)>\n```",
  inlineCodeHtml: "`<img src=x onerror=\"window.__xss='inline'\">`",
  tableCell: "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
};

const FORBIDDEN_ELEMENTS = "script, iframe, object, embed, svg, style, form, meta, img, link, base";
const SAFE_SCHEME = /^(https?:|mailto:|#|\/|$)/i;

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/** Elements matching `selector` that came from the text: the app's own buttons (and their
 * icons) are left out. */
function modelElements(root: HTMLElement, selector: string): string[] {
  return [...root.querySelectorAll(selector)]
    .filter((el) => el.closest("button") === null)
    .map((el) => el.outerHTML.slice(0, 80));
}

/** Every attribute of every element: none may be an event handler or an unsafe URL. */
function dangerousAttributes(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const el of [root, ...root.querySelectorAll("*")]) {
    for (const { name, value } of el.attributes) {
      if (name.startsWith("on")) found.push(`${el.tagName} ${name}`);
      if (["href", "src", "action", "formaction", "xlink:href", "srcdoc"].includes(name)) {
        const compact = value.replace(/[\s\p{Cc}]/gu, "");
        if (!SAFE_SCHEME.test(compact)) found.push(`${el.tagName} ${name}=${value}`);
      }
      if (name === "style" && /url\(|expression\(/i.test(value)) found.push(`${el.tagName} style`);
    }
  }
  return found;
}

describe("hostile markdown renders inert", () => {
  let alert: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    delete window.__xss;
    alert = vi.fn();
    vi.stubGlobal("alert", alert);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  for (const [name, payload] of Object.entries(PAYLOADS)) {
    it(name, () => {
      const { container } = render(<Markdown text={payload} />);
      // Click every link, as a curious reader would.
      for (const link of container.querySelectorAll("a")) {
        act(() => link.click());
      }
      expect(window.__xss).toBeUndefined();
      expect(alert).not.toHaveBeenCalled();
      expect(modelElements(container, FORBIDDEN_ELEMENTS)).toEqual([]);
      expect(dangerousAttributes(container)).toEqual([]);
      // The app's own page never navigates away.
      expect(window.location.href).toMatch(/^http:\/\/localhost/);
    });
  }

  it("shows raw HTML as text rather than dropping it silently", () => {
    const { container } = render(<Markdown text={PAYLOADS.scriptTag!} />);
    expect(container.textContent).toContain("Hello");
    expect(container.textContent).toContain("world");
  });

  it("shows a remote image as a labelled placeholder, never fetched", () => {
    const { container } = render(<Markdown text={PAYLOADS.markdownImage!} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("pixel");
  });

  it("renders a huge code block and all of it in a reply, without running anything", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `let x${i} = "<script>${i}</script>";`);
    const huge = "```js\n" + lines.join("\n") + "\n```";
    const started = performance.now();
    const { container } = render(
      <MessageBubble
        message={message({ conversationId: "c", role: "assistant", content: huge })}
        isLast={false}
        busy={false}
      />,
    );
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(modelElements(container, "script")).toEqual([]);
    expect(container.querySelector("pre")?.textContent).toContain('let x19999 = "<script>19999');
    expect(window.__xss).toBeUndefined();
  });

  it("math payloads render as inert formulas or errors, with no link", () => {
    for (const name of Object.keys(PAYLOADS).filter((n) => n.startsWith("math"))) {
      const { container, unmount } = render(<Markdown text={PAYLOADS[name]!} />);
      expect(container.querySelector("a"), name).toBeNull();
      expect(container.querySelector(".x, #x, [data-onclick]"), name).toBeNull();
      unmount();
    }
  });

  it("keeps a huge \\rule within bounds", () => {
    const { container } = render(<Markdown text={PAYLOADS.mathHugeRule!} />);
    const styles = [...container.querySelectorAll(".katex [style]")].map(
      (el) => el.getAttribute("style") ?? "",
    );
    expect(styles.join(" ")).toMatch(/50em/);
    expect(styles.filter((style) => /\d{3,}(\.\d+)?em/.test(style))).toEqual([]);
  });

  it("keeps safe links clickable, and they do not navigate the app", () => {
    const { container } = render(<Markdown text="[docs](https://example.com/docs)" />);
    const link = container.querySelector("a");
    expect(link).toHaveAttribute("href", "https://example.com/docs");
    act(() => link?.click());
    expect(window.location.href).toMatch(/^http:\/\/localhost/);
  });
});
