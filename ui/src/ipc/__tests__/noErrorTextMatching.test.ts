/**
 * The UI never reads meaning out of an error's English text: it switches on the error code
 * and on typed problems (rule, path, params). This scans every UI source file for text
 * matching on an error message and fails on the first it finds.
 */
import { describe, expect, it } from "vitest";

/** Every UI source file (path → text), tests and the generated bindings left out. */
const SOURCES = import.meta.glob<string>(
  [
    "../../**/*.{ts,tsx}",
    "!../../**/__tests__/**",
    "!../../**/*.test.{ts,tsx}",
    "!../../bindings.ts",
  ],
  { query: "?raw", import: "default", eager: true },
);

const METHODS =
  "match|matchAll|includes|startsWith|endsWith|search|test|exec|indexOf|split|replace";

/** Ways of reading an error message as text. */
const PATTERNS: RegExp[] = [
  // error.message.includes("…"), e.message.toLowerCase().startsWith("…"), message.split("\n")
  new RegExp(String.raw`\.message\b[^;\n]*?\.(?:${METHODS})\s*\(`),
  new RegExp(String.raw`\bmessage\s*\??\.\s*(?:toLowerCase\(\)\s*\.\s*)?(?:${METHODS})\s*\(`),
  // /…/.test(error.message), pattern.exec(e.message.trim())
  new RegExp(String.raw`\.(?:test|exec|match|matchAll|search)\s*\([^)]*\bmessage\b`),
  // new RegExp(…) built from, or run over, a message
  /new RegExp\([^)]*\bmessage\b/,
];

/** Comments may talk about messages; only code counts. A call chain is one line. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
    .replace(/\n\s*(\??\.)/g, "$1");
}

/** The lines of `source` that match an error message as text. */
export function matchesOnErrorText(source: string): string[] {
  return code(source)
    .split("\n")
    .filter((line) => PATTERNS.some((pattern) => pattern.test(line)))
    .map((line) => line.trim());
}

describe("error handling in the UI", () => {
  it("recognises matching on error text in its usual forms", () => {
    const offending = [
      'if (message.includes("concurrent")) return "maxConcurrentStreams";',
      'const message = error.message.toLowerCase(); if (message.includes("resum")) {}',
      "const match = /^(name|content):\\s*(.*)$/s.exec(error.message.trim());",
      'const lines = error.message.split("\\n");',
      "if (/MiB|at most/.test(failure.message)) {}",
      "const row = new RegExp(`^${list}`).exec(path + message);",
      'const lines = error.message\n  .split("\\n")\n  .map((l) => l.trim());',
    ];
    for (const line of offending) expect(matchesOnErrorText(line), line).toHaveLength(1);
    const fine = [
      "const problem = error.problems.find((p) => p.path === field);",
      "details={errorDetails(error) ?? undefined}",
      "// error.message.includes(…) would be wrong here",
      'const done = messages.filter((m) => m.content.includes("x"));',
    ];
    for (const line of fine) expect(matchesOnErrorText(line), line).toEqual([]);
  });

  it("never matches an error message by its text", () => {
    const files = Object.entries(SOURCES);
    // The whole tree is read: the feature folders, the stores, the fakes.
    expect(files.length).toBeGreaterThan(100);
    expect(files.some(([path]) => path.endsWith("ChatSettingsSection.tsx"))).toBe(true);
    const found = files.flatMap(([path, text]) =>
      matchesOnErrorText(text).map((line) => `${path}: ${line}`),
    );
    expect(found).toEqual([]);
  });
});
