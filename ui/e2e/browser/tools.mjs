// Browser tests of tool steps, registered by flows.test.mjs (which owns the browser and the
// dev server), on the fake core's `?tools` (ui/src/dev/fakeTools.ts): a conversation with
// stored tool steps, and a reply there that asks to run a tool before it answers.

/* global document -- code run in the page */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

/** See robustness.mjs for `open` and `finish`. */
export function toolTests({ open, finish, shots }) {
  for (const lang of ["en", "zh-CN"]) {
    for (const theme of ["light", "dark"]) {
      describe(`${lang}, ${theme}: tool steps`, () => {
        const tag = `${lang}-${theme}`;

        test("allow a tool in its card with the keyboard, see its result, then the answer", async () => {
          const page = await open(`lang=${lang}&theme=${theme}&tools&open`);
          const stored = page.getByTestId("tool-step");
          assert.equal(await stored.count(), 2, "the stored reply's two calls");
          await page.getByTestId("message-input").fill("Tides tomorrow?");
          await page.getByTestId("message-input").press("Enter");

          const card = page.getByTestId("tool-approval");
          await card.waitFor();
          assert.equal(
            await page.evaluate(() => document.activeElement?.dataset.testid),
            "tool-approval",
            "the card has the focus",
          );
          await page.screenshot({ path: join(shots, `${tag}-tool-approval.png`) });
          await page.keyboard.press("Enter");
          await page.getByTestId("tool-progress").waitFor();
          await page.screenshot({ path: join(shots, `${tag}-tool-running.png`) });

          const done = page.locator('[data-testid="tool-step"][data-status="done"]');
          await page.locator('[data-testid="message"][data-role="assistant"]').nth(1).waitFor();
          assert.equal(await done.count(), 2, "the stored call and the new one, both done");
          await done.last().getByTestId("tool-step-toggle").click();
          assert.match(await done.last().getByTestId("tool-result").innerText(), /Lisbon/);
          await finish(page, `${tag}-tool-done`);
        });

        test("use a prompt as a / command, attach a resource like a file", async () => {
          const page = await open(`lang=${lang}&theme=${theme}&tools&open`);
          const input = page.getByTestId("message-input");
          await input.fill("/arg");
          const options = page.getByTestId("prompt-option");
          await options.first().waitFor();
          assert.equal(await options.count(), 1, "only args-prompt matches /arg");
          await page.screenshot({
            path: join(shots, `${tag}-prompt-menu.png`),
            animations: "disabled",
          });
          await input.press("Enter");
          const field = page.getByTestId("prompt-argument").first();
          await field.waitFor();
          await field.press("Enter");
          await page.getByTestId("prompt-missing").waitFor();
          await page.screenshot({
            path: join(shots, `${tag}-prompt-form.png`),
            animations: "disabled",
          });
          await field.fill("Lisbon");
          await field.press("Enter");
          await page.getByTestId("prompt-form").waitFor({ state: "detached" });
          assert.equal(await input.inputValue(), "What's weather in Lisbon?");

          await page.getByTestId("resources-button").click();
          await page.getByTestId("resource-option").first().waitFor();
          await page.screenshot({
            path: join(shots, `${tag}-resource-list.png`),
            animations: "disabled",
          });
          await page.getByTestId("resource-option").first().click();
          await page.getByTestId("attachment").waitFor();
          assert.match(await page.getByTestId("attachment").innerText(), /features\.md/);
          await finish(page, `${tag}-resource-attached`);
        });
      });
    }
  }
}
