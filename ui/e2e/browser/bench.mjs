// Rendering benchmark (not a test: it asserts nothing, it reports figures): a conversation
// of 10,000 messages in the fake core (`?fake&long=10000`), opened from the sidebar and
// scrolled in Chromium. Reports time to first paint, frame times while scrolling
// (p50 / p95 / max) and the JS heap; then a 200 KB Markdown reply streamed at 200 deltas a
// second (bench-stream.mjs). Run by `npm run bench:ui` (scripts/bench.sh runs it too).
// `MESSAGES=n` changes the size; `ONLY=stream` or `ONLY=long` runs one case.

/* global document, requestAnimationFrame, MutationObserver -- code run in the page */

import { streamingBench } from "./bench-stream.mjs";
import { launchBrowser, startUi } from "./harness.mjs";

const MESSAGES = Number(process.env.MESSAGES) || 10_000;

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    frames: sorted.length,
    p50: at(0.5).toFixed(1),
    p95: at(0.95).toFixed(1),
    max: (sorted.at(-1) ?? 0).toFixed(1),
    over50ms: sorted.filter((t) => t > 50).length,
  };
}

/** In the page: scrolls the transcript `step` px per frame for `frames` frames (or until the
 * edge), and returns the time between frames. */
function scrollFrames({ step, frames }) {
  const el = document.querySelector('[data-testid="transcript"]');
  return new Promise((resolve) => {
    const times = [];
    let last = performance.now();
    let left = frames;
    const tick = (now) => {
      times.push(now - last);
      last = now;
      const before = el.scrollTop;
      el.scrollTop = before + step;
      const stuck = el.scrollTop === before && (step < 0 ? before === 0 : true);
      if (--left <= 0 || (stuck && step > 0)) resolve(times.slice(1));
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function heapMb(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
  return (used / 1024 / 1024).toFixed(1);
}

const ui = await startUi();
const browser = await launchBrowser();
try {
  if (process.env.ONLY !== "long") {
    const streaming = await streamingBench({
      browser,
      ui,
      stats,
      kb: Number(process.env.KB) || 200,
      rate: Number(process.env.RATE) || 200,
    });
    console.log(JSON.stringify({ chromium: browser.version(), streaming }, null, 2));
  }
  if (process.env.ONLY !== "stream") await longConversationBench();
} finally {
  await browser.close();
  await ui.close();
}

async function longConversationBench() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");

  // Warm the dev server's module cache so the first figure is not about Vite compiling.
  await page.goto(`${ui.url}?fake&lang=en&theme=light`);
  await page.getByTestId("message-input").waitFor();

  // Every reply is the last of three versions: each shows its `‹ 3 / 3 ›` switcher.
  await page.goto(`${ui.url}?fake&lang=en&theme=light&long=${MESSAGES}&versions=3`);
  const item = page.getByTestId("conversation-item").first();
  await item.waitFor();
  const heapBefore = await heapMb(cdp);

  // Time to first paint: click → the first frame painted with the conversation's messages.
  const firstPaintMs = await item.locator(".conv-item__main").evaluate(
    (button) =>
      new Promise((resolve) => {
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (!document.querySelector('[data-testid="message"]')) return;
          observer.disconnect();
          // The frame after the next animation frame has been painted.
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        });
        observer.observe(document.body, { childList: true, subtree: true });
        button.click();
      }),
  );
  await page.getByText(`Answer ${MESSAGES / 2}.`).waitFor();
  const rendered = await page.locator('[data-testid="message"]').count();

  // Scroll up through the conversation the way a reader would (fast), which loads the
  // older pages on the way, then down through all of it.
  const up = await page.evaluate(scrollFrames, { step: -240, frames: 2400 });
  for (let i = 0; i < 100; i++) {
    const done = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="transcript"]');
      el.scrollTop = 0;
      await new Promise((r) => setTimeout(r, 30));
      return el.scrollTop > 0 ? false : !document.querySelector(".transcript__older");
    });
    if (done && (await page.getByText("Question number 1", { exact: true }).count())) break;
  }
  const loaded = await page.evaluate(
    () => document.querySelector('[data-testid="transcript"]').scrollHeight,
  );
  const down = await page.evaluate(scrollFrames, { step: 400, frames: 100_000 });
  const heapAfter = await heapMb(cdp);
  const domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);

  const report = {
    messages: MESSAGES,
    chromium: browser.version(),
    firstPaintMs: firstPaintMs.toFixed(0),
    messagesInDom: rendered,
    scrollUpWhileLoadingMs: stats(up),
    scrollDownAllMs: stats(down),
    transcriptHeightPx: loaded,
    jsHeapMb: { beforeOpening: heapBefore, afterScrollingAll: heapAfter },
    domNodesAfter: domNodes,
  };
  console.log(JSON.stringify(report, null, 2));
}
