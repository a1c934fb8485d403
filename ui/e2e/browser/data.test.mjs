// Browser test of the data dialog against the fake core (`?fake`): database facts, backing
// up, restore confirmation, export, import with progress and its summary, a rejected import.
// Screenshots in both languages and themes go to target/ui-screenshots/.

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { openFake, screenshotDir, uiSession } from "./harness.mjs";

const shots = screenshotDir("ui-screenshots");
const session = uiSession();

async function openData(query, viewport = { width: 1100, height: 860 }) {
  const page = await openFake(session, query, viewport);
  await page.getByTestId("open-data").click();
  await page.getByTestId("data-panel").waitFor();
  await page.getByTestId("data-backups").waitFor();
  // Let the dialog's opening animation end before any screenshot.
  await page.waitForTimeout(400);
  return page;
}

async function finish(page) {
  assert.deepEqual(page.errors, [], "no page errors");
  await page.context().close();
}

for (const lang of ["en", "zh-CN"]) {
  for (const theme of ["light", "dark"]) {
    describe(`data, ${lang}, ${theme}`, () => {
      const tag = `${lang}-${theme}`;
      const base = `lang=${lang}&theme=${theme}`;

      test("database facts, back up now, restore asks first", async () => {
        const page = await openData(base);
        assert.match(await page.getByTestId("data-db-path").innerText(), /confab\.db$/);
        assert.equal(await page.locator(".data-health--ok").count(), 1);
        assert.match(await page.getByTestId("data-attachments-size").innerText(), /18[.,]4/);
        await page.screenshot({ path: join(shots, `${tag}-data.png`) });

        const backups = page.getByTestId("data-backups").locator("li");
        assert.equal(await backups.count(), 2);
        await page.getByTestId("data-backup-now").click();
        await page.getByTestId("data-backup-done").waitFor();
        assert.equal(await backups.count(), 3);

        await backups.first().getByRole("button").click();
        const confirm = page.getByRole("alertdialog");
        await confirm.waitFor();
        await page.waitForTimeout(400);
        await page.screenshot({ path: join(shots, `${tag}-data-restore.png`) });
        await page.getByTestId("data-restore-confirm").click();
        await confirm.waitFor({ state: "detached" });
        await finish(page);
      });

      test("export all as JSON, then import from ChatGPT with progress", async () => {
        const page = await openData(base);
        await page.getByTestId("data-export-json").click();
        const exported = await page.getByTestId("data-export-done").innerText();
        assert.match(exported, /\/home\/you\/Documents\/confab-\d{4}-\d\d-\d\d\.json/);

        await page.getByTestId("data-import-chatgpt").click();
        const bar = page.getByRole("progressbar");
        await bar.waitFor();
        // The fake core reports progress in steps; wait until the bar is well on its way.
        await page.waitForFunction(
          () =>
            Number(
              globalThis.document
                .querySelector('[role="progressbar"]')
                ?.getAttribute("aria-valuenow"),
            ) > 40,
        );
        await page.screenshot({ path: join(shots, `${tag}-data-importing.png`) });
        const done = page.getByTestId("data-import-done");
        await done.waitFor();
        assert.equal(await bar.count(), 0);
        const text = await done.innerText();
        assert.match(text, lang === "en" ? /Imported 420 conversations/ : /已导入 420 个对话/);
        assert.match(text, lang === "en" ? /12 images were not imported/ : /12 张图片未导入/);
        await done.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `${tag}-data-imported.png`) });
        await finish(page);
      });
    });
  }
}

test("a rejected import lists its problems and says nothing changed", async () => {
  const page = await openData("lang=en&importFail");
  await page.getByTestId("data-import-confab").click();
  const failed = page.getByTestId("data-import-failed");
  await failed.waitFor();
  const text = await failed.innerText();
  assert.match(text, /nothing was changed/);
  assert.match(
    text,
    /conversations\[3\]\.messages\[12\]\.role: This value has the wrong form\. \(unknown variant `robot`/,
  );
  await failed.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "en-data-import-rejected.png") });
  await finish(page);
});

test("a cancelled file dialog does nothing", async () => {
  const page = await openData("lang=en&dialogCancel");
  await page.getByTestId("data-export-md").click();
  await page.getByTestId("data-import-chatgpt").click();
  await page.getByTestId("data-backup-save-as").click();
  // Nothing reports success or failure, and the buttons are usable again.
  await page.getByTestId("data-export-md").waitFor({ state: "visible" });
  const panel = page.getByTestId("data-panel");
  assert.equal(await panel.getByRole("status").count(), 0);
  assert.equal(await panel.getByRole("alert").count(), 0);
  assert.equal(await page.getByTestId("data-export-md").isEnabled(), true);
  await finish(page);
});

test("works at 800×600", async () => {
  const page = await openData("lang=zh-CN", { width: 800, height: 600 });
  await page.screenshot({ path: join(shots, "zh-CN-data-800x600.png") });
  await finish(page);
});
