/**
 * Streaming Markdown stays cheap: a growing text is cut again from its last block only,
 * with the same blocks as a fresh split; code and math render plain until their renderer
 * has loaded; nesting is bounded before the parser sees it.
 */
import { render, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Markdown } from "../components/Markdown";
import { capNesting, MAX_NESTING, splitBlocks, splitGrowing } from "../markdown/blocks";
import type { SplitState } from "../markdown/blocks";

const REPLY = [
  "# Title",
  "1. one\n2. two",
  "- loose\n\n  more of it\n\n- second item",
  "```rust\nfn main() {}\n\n\n// after blank lines\n```",
  "$$\nx\n\ny\n$$",
  "\\[\na\n\nb\n\\]",
  "| a | b |\n| - | - |\n| 1 | 2 |",
  "> quoted\n> twice",
  "The end.",
].join("\n\n");

describe("splitting a growing reply", () => {
  it("gives the same blocks as splitting it whole, whatever the chunk size", () => {
    for (const chunk of [1, 3, 7, 50]) {
      let state: SplitState | null = null;
      for (let end = chunk; end < REPLY.length + chunk; end += chunk) {
        const text = REPLY.slice(0, end);
        state = splitGrowing(text, state);
        expect(state.blocks.map((b) => b.text)).toEqual(splitBlocks(text));
      }
    }
  });

  it("keeps code, math and a loose list whole", () => {
    const blocks = splitBlocks(REPLY);
    expect(blocks).toContain("- loose\n\n  more of it\n\n- second item\n");
    expect(blocks).toContain("```rust\nfn main() {}\n\n\n// after blank lines\n```\n");
    expect(blocks).toContain("\\[\na\n\nb\n\\]\n");
  });
});

describe("nesting", () => {
  it("is capped before parsing, keeping the text", () => {
    const deep = `${">".repeat(10_000)} inner`;
    const capped = capNesting(deep);
    expect(capped).toBe(`${">".repeat(MAX_NESTING)}inner`);
    expect(capNesting("- - - - x")).toBe("- - - - x");
    const fenced = "```\n" + ">".repeat(100) + "\n```";
    expect(capNesting(fenced)).toBe(fenced);
  });

  it("renders a 10,000-deep quote", () => {
    const { container } = render(<Markdown text={`${">".repeat(10_000)} inner`} />);
    expect(container.querySelectorAll("blockquote")).toHaveLength(MAX_NESTING);
    expect(container.textContent).toContain("inner");
  });
});

describe("code and math before their renderer has loaded", () => {
  it("show as plain text, then highlighted and typeset", { timeout: 45_000 }, async () => {
    const { container } = render(
      <Markdown text={"```rust\nfn main() {}\n```\n\nArea: $\\pi r^2$"} />,
    );
    // This file never preloads them: the first render has neither.
    expect(container.querySelector("pre code")?.textContent).toBe("fn main() {}\n");
    expect(container.querySelector(".katex")).toBeNull();
    // Loading them goes through the test runner's transform: it can take a while here.
    const loaded = { timeout: 20_000 };
    await waitFor(() => expect(container.querySelector(".hljs-keyword")).not.toBeNull(), loaded);
    await waitFor(() => expect(container.querySelector(".katex")).not.toBeNull(), loaded);
  });

  it("shows a code block still being written as plain text", () => {
    const { container } = render(<Markdown text={"Look:\n\n```rust\nfn main() {"} streaming />);
    const code = container.querySelector("pre code");
    expect(code).toHaveClass("language-rust");
    expect(code?.textContent).toBe("fn main() {");
    expect(container.querySelector(".md-code__lang")?.textContent).toBe("rust");
  });
});
