/**
 * Code highlighting, loaded only when a reply has a labelled code block (see
 * `richPlugins.ts`): highlight.js and its grammars are a large part of the bundle.
 */
import rehypeHighlight from "rehype-highlight";
import type { Options } from "rehype-highlight";
import type { Plugin } from "unified";
import type { Root } from "hast";
import { LANGUAGES } from "./languages";

const options: Options = {
  languages: LANGUAGES,
  // Guessing the language of unlabelled blocks costs a pass per grammar: not done.
  detect: false,
};

// Attached once: react-markdown attaches its plugins on every render, and attaching
// rehype-highlight registers every grammar again (most of the time a streaming reply took).
const transform = rehypeHighlight(options);

export const highlightPlugin: Plugin<[], Root> = () => transform;
