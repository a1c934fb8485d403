/**
 * Rendering replies: highlighted code with copy, math, links handed to the system browser,
 * images shown as links, and the text-level helpers (math delimiters, block splitting).
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createElement } from "react";
import type { ComponentProps } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Markdown } from "../components/Markdown";
import type * as ReactMarkdownModule from "react-markdown";
import { normaliseMathDelimiters, splitBlocks } from "../markdown/blocks";
import { HIGHLIGHT_MAX_LINES } from "../markdown/plugins";
import { mockCore } from "../../../test/core";
import { preloadRichPlugins } from "../markdown/richPlugins";

// Highlighting and math load on first use; these tests are about what they render.
beforeAll(() => preloadRichPlugins());

// Counts what each react-markdown render parses (the real one still renders).
const parsed = vi.hoisted(() => [] as string[]);
vi.mock("react-markdown", async (importOriginal) => {
  const real = await importOriginal<typeof ReactMarkdownModule>();
  const Counted = (props: ComponentProps<typeof real.default>) => {
    parsed.push(String(props.children));
    return createElement(real.default, props);
  };
  return { ...real, default: Counted };
});

afterEach(() => {
  clearMocks();
  vi.unstubAllGlobals();
});

const RUST = '```rust\nfn main() {\n    let x = "hi"; // greet\n    println!("{x}");\n}\n```';

describe("code blocks", () => {
  it("highlights a labelled block and shows its language", () => {
    const { container } = render(<Markdown text={RUST} />);
    const code = container.querySelector("pre code");
    expect(code).toHaveClass("hljs", "language-rust");
    expect(code?.querySelector(".hljs-keyword")?.textContent).toBe("fn");
    expect(code?.querySelector(".hljs-string")?.textContent).toBe('"hi"');
    expect(code?.querySelector(".hljs-comment")?.textContent).toBe("// greet");
    expect(container.querySelector(".md-code__lang")?.textContent).toBe("rust");
  });

  it("leaves unknown languages and unlabelled blocks as plain text", () => {
    const { container } = render(<Markdown text={"```brainfuck\n+++.\n```\n\n```\nplain\n```"} />);
    const blocks = container.querySelectorAll("pre code");
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expect(block.querySelector("span")).toBeNull();
    expect(blocks[0]?.textContent).toBe("+++.\n");
  });

  it("copies exactly the code, and says so", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    render(<Markdown text={RUST} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy code" }));
    expect(writeText).toHaveBeenCalledWith(
      'fn main() {\n    let x = "hi"; // greet\n    println!("{x}");\n}',
    );
    await waitFor(() => expect(screen.getByText("Copied")).toBeInTheDocument());
  });

  it("shows a huge block as plain text, quickly", () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `const x${i} = "${i}"; // ${i}`);
    const started = performance.now();
    const { container } = render(<Markdown text={"```js\n" + lines.join("\n") + "\n```"} />);
    expect(performance.now() - started).toBeLessThan(5_000);
    const code = container.querySelector("pre code");
    expect(code).toHaveClass("no-highlight");
    expect(code?.querySelector("span")).toBeNull();
    expect(code?.textContent).toContain('const x4999 = "4999";');
    expect(container.querySelector(".md-code__lang")?.textContent).toBe("js");
  });

  it("still highlights a block just under the cap", () => {
    const lines = Array.from({ length: HIGHLIGHT_MAX_LINES - 1 }, (_, i) => `let a${i} = 1;`);
    const { container } = render(<Markdown text={"```js\n" + lines.join("\n") + "\n```"} />);
    expect(container.querySelector("pre code .hljs-keyword")).not.toBeNull();
  });
});

describe("math", () => {
  it("renders inline and display math with KaTeX", () => {
    const { container } = render(
      <Markdown text={"Euler: $e^{i\\pi}+1=0$\n\n$$\n\\int_0^1 x\\,dx\n$$"} />,
    );
    expect(container.querySelectorAll(".katex")).toHaveLength(2);
    expect(container.querySelector(".katex-display")).not.toBeNull();
    expect(container.querySelector("annotation")?.textContent).toBe("e^{i\\pi}+1=0");
  });

  it("accepts \\( \\) and \\[ \\] delimiters", () => {
    const { container } = render(<Markdown text={"So \\(a^2\\) and\n\n\\[b^2\\]"} />);
    expect(container.querySelectorAll(".katex")).toHaveLength(2);
    expect(container.querySelector(".katex-display")).not.toBeNull();
  });

  it("shows bad TeX as an error, not a crash", () => {
    const { container } = render(<Markdown text={"$\\frac{1$"} />);
    expect(container.querySelector(".katex-error")).not.toBeNull();
  });
});

describe("links and images", () => {
  it("a click asks the core to open the link and does not navigate", async () => {
    const core = mockCore({ openUrl: () => null });
    render(<Markdown text="See [the docs](https://example.com/docs?a=1)." />);
    const link = screen.getByRole("link", { name: "the docs" });
    const event = new MouseEvent("click", { bubbles: true, cancelable: true });
    act(() => {
      link.dispatchEvent(event);
    });
    expect(event.defaultPrevented).toBe(true);
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "open_url",
        args: { url: "https://example.com/docs?a=1" },
      }),
    );
    expect(window.location.href).toMatch(/^http:\/\/localhost/);
  });

  it("does not render dangerous schemes as links at all", () => {
    const { container } = render(
      <Markdown text="[a](javascript:alert(1)) [b](file:///etc/passwd) [c](tauri://x)" />,
    );
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("a b c");
  });

  it("shows an image as a link with its alt text, never loaded", async () => {
    const core = mockCore({ openUrl: () => null });
    const { container } = render(<Markdown text="![a cat](https://img.example/cat.png)" />);
    expect(container.querySelector("img")).toBeNull();
    const link = screen.getByRole("link", { name: "Image: a cat" });
    expect(link).toHaveAttribute("href", "https://img.example/cat.png");
    fireEvent.click(link);
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "open_url",
        args: { url: "https://img.example/cat.png" },
      }),
    );
  });
});

describe("text helpers", () => {
  it("normalises math delimiters outside code only", () => {
    expect(normaliseMathDelimiters("a \\(x\\) b \\[y\\]")).toBe("a $x$ b $$y$$");
    expect(normaliseMathDelimiters("`\\(x\\)` and \\(y\\)")).toBe("`\\(x\\)` and $y$");
    expect(normaliseMathDelimiters("\\[\nx^2\n\\]")).toBe("$$\nx^2\n$$");
    const fenced = "```\n\\(x\\)\n```";
    expect(normaliseMathDelimiters(fenced)).toBe(fenced);
    expect(normaliseMathDelimiters("\\\\(x\\\\)")).toBe("\\\\(x\\\\)");
  });

  it("splits at blank lines, but not inside code, math or lists", () => {
    expect(splitBlocks("a\n\nb")).toEqual(["a\n", "b"]);
    expect(splitBlocks("```\nx\n\ny\n```\n\nz")).toEqual(["```\nx\n\ny\n```\n", "z"]);
    expect(splitBlocks("$$\nx\n\ny\n$$")).toEqual(["$$\nx\n\ny\n$$"]);
    expect(splitBlocks("- a\n\n  more\n- b")).toEqual(["- a\n\n  more\n- b"]);
    expect(splitBlocks("[x][r]\n\n[r]: https://e.com")).toEqual(["[x][r]\n\n[r]: https://e.com"]);
  });

  it("parses earlier blocks once while the last one streams", () => {
    const { container, rerender } = render(<Markdown text={RUST + "\n\nPart"} />);
    parsed.length = 0;
    rerender(<Markdown text={RUST + "\n\nPartial text"} />);
    rerender(<Markdown text={RUST + "\n\nPartial text grows"} />);
    expect(parsed).toEqual(["Partial text", "Partial text grows"]);
    expect(container.querySelector("pre code .hljs-keyword")).not.toBeNull();
    expect(container.textContent).toContain("Partial text grows");
  });
});
