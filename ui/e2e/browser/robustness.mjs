// Browser tests of hostile data and keyboard reach, registered by flows.test.mjs (which owns
// the browser and the dev server): timestamps no `Date` can hold, a message that cannot be
// drawn, and Markdown built to exhaust the renderer. The fake core holds the data
// (`?hostile`, `?stress`: ui/src/dev/fakeHostile.ts, fakeStress.ts).

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

/**
 * `open(query, viewport)` gives a fresh page on `?fake&<query>` that records page errors;
 * `finish(page, name)` screenshots it to `shots` and fails on any page error.
 */
export function robustnessTests({ open, finish, shots }) {
  describe("hostile timestamps and a message that cannot be drawn", () => {
    for (const lang of ["en", "zh-CN"]) {
      for (const theme of ["light", "dark"]) {
        test(`${lang}, ${theme}: the window stays usable`, async () => {
          const page = await open(`lang=${lang}&theme=${theme}&hostile=broken&open`);
          // The imported conversation (updated at 1e16 ms) is first in the list, with no time.
          const first = page.getByTestId("conversation-item").first();
          assert.equal(await first.getAttribute("data-id"), "fake-hostile");
          assert.equal(await first.locator(".conv-item__time").innerText(), "—");
          assert.ok((await page.getByTestId("conversation-item").count()) >= 4, "all rows shown");

          // Its messages (created at -1e17 ms and at NaN) show, with a placeholder time.
          const messages = page.getByTestId("message");
          await page.getByTestId("message-crash").waitFor();
          assert.equal(await messages.count(), 3, "the three messages that can be drawn");
          const info = await messages.first().getByTestId("message-info").innerText();
          assert.match(info, /^—/);
          // The one that cannot be drawn says so, in place; the one after it is there.
          assert.equal(await page.getByTestId("message-crash").count(), 1);
          const last = messages.last();
          assert.match(
            await last.innerText(),
            lang === "en" ? /still show/ : /照常显示/,
            "the message after the broken one",
          );
          await page.screenshot({ path: join(shots, `${lang}-${theme}-hostile.png`) });

          // Trying again draws it again (and it fails again, in place).
          await page.getByTestId("crash-retry").click();
          await page.getByTestId("message-crash").waitFor();

          // The rest of the app works: another conversation opens and a reply streams in.
          await page.getByTestId("conversation-item").nth(1).locator(".conv-item__main").click();
          await page.getByTestId("message-crash").waitFor({ state: "detached" });
          await page.getByTestId("message-input").fill("Still there?");
          await page.getByTestId("message-input").press("Enter");
          await page.getByText(lang === "en" ? "That is all." : "就这些。").waitFor();
          await finish(page);
        });
      }
    }
  });
}

/** Markdown built to exhaust the renderer (`?stress`, in the newest conversation). */
export function stressTests({ open, finish }) {
  test("a 10,000-deep quote and a 1 MB single-line code block do not take the page down", async () => {
    const page = await open("lang=en&theme=dark&stress&open");
    const replies = page.locator('[data-testid="message"][data-role="assistant"]');
    await page.getByText("After the code.").waitFor({ timeout: 60_000 });
    const code = replies.last().locator("pre code");
    // Shown whole and as plain text: highlighting a megabyte would stall the page.
    assert.equal((await code.evaluate((el) => el.textContent.length)) > 1_000_000, true);
    assert.equal(await code.locator("span").count(), 0, "not highlighted");
    // The quote: nested only as deep as the renderer allows, its text still there.
    await page.getByTestId("transcript").evaluate((el) => el.scrollTo(0, 0));
    await page.getByText("the innermost quote").waitFor();
    const depth = await replies.first().evaluate((el) => {
      let deepest = 0;
      for (const quote of el.querySelectorAll("blockquote")) {
        let d = 0;
        for (let q = quote; q; q = q.parentElement?.closest("blockquote")) d += 1;
        deepest = Math.max(deepest, d);
      }
      return deepest;
    });
    assert.ok(depth >= 16 && depth <= 32, `nested ${depth} deep`);
    assert.equal(await page.getByTestId("message-crash").count(), 0);
    // The window still answers.
    await page.getByTestId("message-input").focus();
    await page.keyboard.press("Control+End");
    await page.getByTestId("message-input").fill("Still fine?");
    await page.getByTestId("message-input").press("Enter");
    await page.getByText("That is all.").waitFor({ state: "attached", timeout: 60_000 });
    await finish(page, "markdown-stress");
  });
}
