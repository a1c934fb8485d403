/**
 * Math typesetting, loaded only when a reply has math (see `richPlugins.ts`): KaTeX, its
 * CSS and its fonts are the largest part of the bundle.
 */
import type { KatexOptions } from "katex";
import rehypeKatex from "rehype-katex";
import type { Root } from "hast";
import type { Plugin } from "unified";
import "katex/dist/katex.min.css";

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

const transform = rehypeKatex(katexOptions);

export const mathPlugin: Plugin<[], Root> = () => transform;
