// Browser tests of reply states and keyboard reach, registered by flows.test.mjs (which owns
// the browser and the dev server): a reply cut mid-stream that resumes by itself, a reply
// stopped at the size limit, the settings for both, and PageUp/PageDown/Ctrl+Home/Ctrl+End
// from the composer.

/* global document -- code run in the page */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

/** See robustness.mjs for `open` and `finish`. */
export function stateTests({ open, finish, shots }) {
  for (const lang of ["en", "zh-CN"]) {
    for (const theme of ["light", "dark"]) {
      describe(`${lang}, ${theme}: replies that are cut or too long`, () => {
        const base = `lang=${lang}&theme=${theme}`;

        test("a cut reply says it resumes, keeps its text, and finishes", async () => {
          const page = await open(`${base}&resuming`);
          await page.getByTestId("message-input").fill("Tell me");
          await page.getByTestId("message-input").press("Enter");
          const status = page.getByTestId("stream-status");
          await status.waitFor();
          assert.equal(
            await status.innerText(),
            lang === "en" ? "Connection lost — resuming (1/2)…" : "连接中断——正在续写（1/2）…",
          );
          const partly = await page.getByTestId("streaming-message").innerText();
          assert.ok(partly.length > 20, "the text so far stays");
          await page.screenshot({ path: join(shots, `${lang}-${theme}-resuming.png`) });
          await status.waitFor({ state: "detached" });
          const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
          await reply.getByText(lang === "en" ? "That is all." : "就这些。").waitFor();
          assert.equal(await reply.getAttribute("data-state"), "complete");
          await finish(page);
        });

        test("a reply stopped at the size limit says so, with Continue", async () => {
          const page = await open(`${base}&toolong`);
          await page.getByTestId("message-input").fill("Everything, please");
          await page.getByTestId("message-input").press("Enter");
          const reply = page.locator('[data-testid="message"][data-state="partial"]').last();
          await reply.waitFor();
          assert.match(
            await reply.getByTestId("message-status").innerText(),
            lang === "en" ? /reached the size limit \(Settings → Chat\)/ : /达到了大小上限/,
          );
          await reply.getByTestId("continue-message").waitFor();
          await finish(page, `${lang}-${theme}-too-long`);
        });

        test("the chat settings offer the size limit and resuming", async () => {
          const page = await open(`${base}&settings`);
          const size = page.getByTestId("setting-maxReplyKib");
          await size.scrollIntoViewIfNeeded();
          assert.equal(await size.inputValue(), "1024");
          assert.equal(await page.getByTestId("setting-autoResume").inputValue(), "2");
          await page.waitForTimeout(300);
          await finish(page, `${lang}-${theme}-settings-resume`);
        });
      });
    }
  }

  describe("the keyboard reaches the transcript from the composer", () => {
    test("PageUp / PageDown scroll it, Ctrl+Home / Ctrl+End go to its ends", async () => {
      const page = await open("lang=en&theme=light&long=10000&open");
      await page.getByText("Answer 5000.").waitFor();
      const input = page.getByTestId("message-input");
      await input.focus();
      const transcript = page.getByTestId("transcript");
      const top = () => transcript.evaluate((el) => el.scrollTop);
      const atEnd = await top();

      await page.keyboard.press("PageUp");
      const up = await top();
      assert.ok(atEnd - up > 300, `PageUp scrolled a page (${atEnd - up}px)`);
      await page.keyboard.press("PageUp");
      const twice = await top();
      assert.ok(twice < up, "and another");
      await page.keyboard.press("PageDown");
      assert.ok((await top()) - twice > 300, "PageDown goes back down a page");
      assert.ok(
        await input.evaluate((el) => el === document.activeElement),
        "the composer keeps the focus",
      );

      // Ctrl+Home goes to the start of what is loaded (and older pages start loading).
      await page.keyboard.press("Control+Home");
      await page.getByTestId("jump-to-latest").waitFor();
      await page.getByText("Question number 4901", { exact: true }).waitFor();
      await page.keyboard.press("Control+End");
      await page.getByTestId("jump-to-latest").waitFor({ state: "detached" });
      await page.getByText("Answer 5000.").waitFor();

      // With a draft, Ctrl+Home belongs to the text field.
      await input.fill("a draft");
      const before = await top();
      await page.keyboard.press("Control+Home");
      assert.equal(await top(), before, "the transcript stays");
      await finish(page);
    });
  });
}
