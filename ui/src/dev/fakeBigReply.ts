/**
 * `?fake&bigreply=200&rate=200`: the reply is about 200 KB of Markdown of every common shape
 * (headings, paragraphs, tight and loose lists, fenced code, tables, quotes, math), streamed
 * at 200 deltas a second. Used by the rendering benchmark's streaming case.
 */

const SECTIONS = [
  (n: number) =>
    `## Part ${n}: what to check\n\nA paragraph that explains the idea in plain words, with some **bold**, some *emphasis*, \`inline code\` and a [link](https://example.com/${n}). It goes on for a while so that the paragraph wraps over several lines in the message column, as real answers do.`,
  (n: number) =>
    `1. First step of part ${n}, short.\n2. Second step, with \`code\`.\n3. Third step, which is a little longer and explains why it matters.`,
  (n: number) =>
    `- A loose list item in part ${n}.\n\n  A second paragraph inside the same item, indented.\n\n- Another item after a blank line.\n\n- And a last one.`,
  (n: number) =>
    `\`\`\`rust\n// part ${n}\nfn total(values: &[u64]) -> u64 {\n    let mut sum = 0;\n    for v in values {\n        sum += v;\n    }\n    sum\n}\n\n\nfn main() {\n    println!("{}", total(&[1, 2, 3]));\n}\n\`\`\``,
  (n: number) =>
    `| Item | Count | Note |\n| --- | ---: | --- |\n| alpha ${n} | 12 | fine |\n| beta | 7 | check |\n| gamma | 31 | done |`,
  (n: number) =>
    `> A quoted remark from part ${n}, which\n> spans two lines.\n\nThe area is $\\pi r^2$ and the sum is $\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$.`,
  (n: number) =>
    `\`\`\`python\n# part ${n}\ndef greet(name: str) -> str:\n    return f"Hello, {name}!"\n\n\nprint(greet("world"))\n\`\`\``,
];

/** About `kb` kilobytes of Markdown. */
export function bigReply(kb: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < kb * 1000; n++) {
    const part = SECTIONS[n % SECTIONS.length]!(n);
    parts.push(part);
    size += part.length + 2;
  }
  return parts.join("\n\n");
}
