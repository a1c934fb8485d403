// The rendering benchmark's streaming case (run by bench.mjs): a ~200 KB Markdown reply
// streamed through the fake core at 200 deltas a second (`?fake&bigreply=200&rate=200`),
// and the time between animation frames from the first words until a second after the
// reply is stored (so the frame that swaps the stream for the stored message counts too).

/* global document, requestAnimationFrame -- code run in the page */

/** In the page: frame intervals while the reply streams, and how long it streamed. */
function recordStream() {
  return new Promise((resolve) => {
    const times = [];
    const long = [];
    let last = performance.now();
    let started = null;
    let ended = null;
    const tick = (now) => {
      const streaming = document.querySelector('[data-testid="streaming-message"] .markdown');
      if (started === null && streaming) {
        started = now;
        last = now;
      } else if (started !== null) {
        times.push(now - last);
        if (now - last > 100) {
          long.push({
            at: Math.round(last - started),
            ms: Math.round(now - last),
            ended: ended !== null,
          });
        }
        last = now;
        if (ended === null && !document.querySelector('[data-testid="streaming-message"]')) {
          ended = now;
        }
      }
      if (ended !== null && now - ended > 1000) {
        const reply = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
        resolve({
          times,
          streamedMs: ended - started,
          long,
          replyChars: reply[reply.length - 1]?.textContent.length ?? 0,
        });
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export async function streamingBench({ browser, ui, stats, kb = 200, rate = 200 }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const query = `?fake&lang=en&theme=light&bigreply=${kb}&rate=${rate}`;
    // Once to warm the dev server's module cache (the Markdown plugins load on first use).
    for (const round of ["warm", "measure"]) {
      await page.goto(`${ui.url}${query}`);
      await page.getByTestId("message-input").fill(`Write ${kb} KB, please (${round})`);
      const recording = page.evaluate(recordStream);
      await page.getByTestId("message-input").press("Enter");
      const { times, streamedMs, replyChars, long } = await recording;
      if (process.env.DEBUG) console.log(JSON.stringify(long));
      if (round === "measure") {
        return {
          replyKb: kb,
          deltasPerSecond: rate,
          streamedMs: Math.round(streamedMs),
          renderedTextChars: replyChars,
          frameMs: stats(times),
        };
      }
    }
    return null;
  } finally {
    await page.close();
  }
}
