/**
 * Highlighting and math load on first use, so a window whose replies have neither never
 * loads them. Until they are here, code shows as plain text and math as its TeX source;
 * every block that asked re-renders once they arrive.
 */
import { useSyncExternalStore } from "react";
import type { PluggableList } from "unified";
import { rehypeCapHighlight } from "./plugins";

type Kind = "code" | "math";

const loaded: Record<Kind, PluggableList[number] | null> = { code: null, math: null };
const loading: Partial<Record<Kind, Promise<void>>> = {};
const listeners = new Set<() => void>();
let version = 0;

function load(kind: Kind): Promise<void> {
  loading[kind] ??= (kind === "code" ? import("./highlight") : import("./math"))
    .then((module) => {
      loaded[kind] = "highlightPlugin" in module ? module.highlightPlugin : module.mathPlugin;
      version += 1;
      listeners.forEach((listener) => listener());
    })
    .catch((error: unknown) => {
      // The text stays readable without them; a later block may try again.
      delete loading[kind];
      console.error(`The ${kind} renderer could not be loaded`, error);
    });
  return loading[kind];
}

/** A labelled fenced block: the only kind that is highlighted (no language guessing). */
const LABELLED_FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*[\w+#-]/m;
/** Anything remark-math could read as math, after `\( \[` were normalised to `$`. */
const MATH = /\$/;

/** What `text` needs beyond plain Markdown. */
export function needsOf(text: string): { code: boolean; math: boolean } {
  return { code: LABELLED_FENCE.test(text), math: MATH.test(text) };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes whenever a renderer arrives: blocks read it to re-render then. */
export function useRichVersion(): number {
  return useSyncExternalStore(
    subscribe,
    () => version,
    () => version,
  );
}

const lists = new Map<string, PluggableList>();

/**
 * The rehype plugins for a block that needs `code` and/or `math`: the ones loaded so far
 * (the others start loading). The same list object for the same set, so memoized
 * renders stay valid.
 */
export function rehypePluginsFor(needs: { code: boolean; math: boolean }): {
  plugins: PluggableList;
  /** Names the set, for caches of what was rendered with it. */
  key: string;
} {
  if (needs.code && !loaded.code) void load("code");
  if (needs.math && !loaded.math) void load("math");
  const code = needs.code && loaded.code ? loaded.code : null;
  const math = needs.math && loaded.math ? loaded.math : null;
  const key = `${code ? "c" : ""}${math ? "m" : ""}`;
  let plugins = lists.get(key);
  if (!plugins) {
    plugins = [rehypeCapHighlight, ...(code ? [code] : []), ...(math ? [math] : [])];
    lists.set(key, plugins);
  }
  return { plugins, key };
}

/** Loads both now (tests, and screenshots that should show the final look at once). */
export function preloadRichPlugins(): Promise<void> {
  return Promise.all([load("code"), load("math")]).then(() => undefined);
}
