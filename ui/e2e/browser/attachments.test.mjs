// Browser test of attachments against the fake core (`?fake`, ui/src/dev/fakeAttachments.ts:
// files are "read" by their names): the file picker, a drop on the window, a paste, the
// chips, a long file's first pages, the vision warning, and a sent message's images and
// files. Screenshots in both languages and themes go to target/ui-screenshots/.

/* global document, window, DataTransfer, ClipboardEvent -- code run in the page */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { openFake, screenshotDir, uiSession } from "./harness.mjs";

const shots = screenshotDir("ui-screenshots");
const session = uiSession();

async function open(query, viewport = { width: 1100, height: 760 }) {
  const page = await openFake(session, query, viewport, { failOnDialog: true });
  await page.getByTestId("message-input").waitFor();
  return page;
}

async function finish(page) {
  assert.deepEqual(page.errors, [], "no page errors");
  await page.context().close();
}

/** The images of the composer's chips have loaded (a thumbnail is drawn). */
async function thumbnailsDrawn(scope) {
  await scope.locator("img.attachment__thumb").first().waitFor();
  const widths = await scope
    .locator("img.attachment__thumb")
    .evaluateAll((imgs) => imgs.map((img) => img.complete && img.naturalWidth));
  assert.ok(
    widths.every((w) => w > 0),
    `thumbnails drawn: ${widths}`,
  );
}

for (const lang of ["en", "zh-CN"]) {
  for (const theme of ["light", "dark"]) {
    describe(`attachments, ${lang}, ${theme}`, () => {
      const tag = `${lang}-${theme}`;
      const base = `lang=${lang}&theme=${theme}`;

      test("attach with the picker, send, and open the image and the file", async () => {
        const page = await open(`${base}&open`);
        await page.getByTestId("attach-button").click();
        const chips = page.getByTestId("composer-box").getByTestId("attachment");
        await chips.nth(1).waitFor();
        assert.equal(await chips.count(), 2);
        assert.match(await chips.nth(1).innerText(), /quarterly-report\.pdf/);
        await thumbnailsDrawn(page.getByTestId("composer-box"));
        await page
          .getByTestId("message-input")
          .fill(lang === "en" ? "Same harbour?" : "同一个港口？");
        await page.screenshot({ path: join(shots, `${tag}-attach-chips.png`) });

        await page.getByTestId("send-button").click();
        const sent = page.locator('[data-testid="message"][data-role="user"]').last();
        await sent.getByTestId("message-attachments").waitFor();
        assert.equal(await page.getByTestId("composer-box").getByTestId("attachment").count(), 0);
        await page.getByTestId("send-button").waitFor();
        await thumbnailsDrawn(sent);
        await page.screenshot({ path: join(shots, `${tag}-attach-sent.png`) });

        await sent.getByTestId("message-image").click();
        await page.getByTestId("image-viewer").locator("img").waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(shots, `${tag}-attach-image-view.png`) });
        await page.keyboard.press("Escape");
        await page.getByTestId("image-viewer").waitFor({ state: "detached" });

        await sent.getByTestId("attachment").click();
        const text = page.getByTestId("file-preview-text");
        await text.waitFor();
        assert.match(await text.innerText(), lang === "en" ? /Page 1/ : /第 1 页/);
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(shots, `${tag}-attach-file-preview.png`) });
        await page.keyboard.press("Escape");
        await page.getByTestId("file-preview").waitFor({ state: "detached" });
        await finish(page);
      });

      test("a dropped long file is read with a spinner and offers its first pages", async () => {
        const page = await open(`${base}&open`);
        await page.evaluate(() =>
          window.__fakeEmit("tauri://drag-over", { position: { x: 5, y: 5 } }),
        );
        await page.locator(".composer__box--drop").waitFor();
        await page.screenshot({ path: join(shots, `${tag}-attach-drag.png`) });
        await page.evaluate(() =>
          window.__fakeEmit("tauri://drag-drop", {
            paths: ["/home/you/Documents/handbook.pdf"],
            position: { x: 5, y: 5 },
          }),
        );
        await page.getByTestId("attachment-reading").waitFor();
        assert.equal(await page.locator(".composer__box--drop").count(), 0);
        await page.screenshot({ path: join(shots, `${tag}-attach-reading.png`) });
        const offer = page.getByTestId("attachment-send-pages");
        await offer.waitFor();
        await page.screenshot({ path: join(shots, `${tag}-attach-too-long.png`) });
        await offer.click();
        await page.getByTestId("attachment-send-pages").waitFor({ state: "detached" });
        await finish(page);
      });

      test("a pasted image is attached; a model without vision is said so before sending", async () => {
        const page = await open(`${base}&open&provider=prov-2`);
        await page.getByTestId("message-input").focus();
        await page.evaluate(() => {
          // A 1 × 1 PNG, pasted as a file.
          const png =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC";
          const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
          const data = new DataTransfer();
          data.items.add(new File([bytes], "image.png", { type: "image/png" }));
          const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true });
          document.activeElement.dispatchEvent(event);
        });
        await page.getByTestId("composer-box").getByTestId("attachment").waitFor();
        const warning = page.getByTestId("vision-warning");
        await warning.waitFor();
        assert.match(await warning.innerText(), /llama3\.1/);
        assert.equal(await page.getByTestId("send-button").isDisabled(), true);
        await page.screenshot({ path: join(shots, `${tag}-attach-no-vision.png`) });
        await page.getByTestId("vision-allow").click();
        await warning.waitFor({ state: "detached" });
        assert.equal(await page.getByTestId("send-button").isDisabled(), false);
        await finish(page);
      });

      test("the context drawer lists a message's attachments and leaves one out", async () => {
        const page = await open(`${base}&attachments&open`);
        const first = page.locator('[data-testid="message"][data-role="user"]').first();
        await first.getByTestId("message-attachments").waitFor();
        await thumbnailsDrawn(first);
        await page.getByRole("button", { name: lang === "en" ? "Context" : "上下文" }).click();
        const drawer = page.getByTestId("context-drawer");
        const item = drawer.getByTestId("context-attachment").nth(1);
        await item.waitFor();
        assert.match(await item.innerText(), /quarterly-report\.pdf/);
        await item.getByTestId("context-attachment-exclude").click();
        assert.equal(
          await item.getByTestId("context-attachment-exclude").getAttribute("aria-pressed"),
          "true",
        );
        await page.getByTestId("context-save").click();
        await page.getByTestId("context-save").and(page.locator(":disabled")).waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(shots, `${tag}-attach-context.png`) });
        await finish(page);
      });

      test("a file that cannot be read says why, in the person's language", async () => {
        const page = await open(`${base}&open`);
        await page.evaluate(() =>
          window.__fakeEmit("tauri://drag-drop", {
            paths: ["/home/you/Downloads/scan.pdf"],
            position: { x: 5, y: 5 },
          }),
        );
        const error = page.getByTestId("attachment-error");
        await error.waitFor();
        assert.match(await error.innerText(), lang === "en" ? /scanned document/ : /扫描/);
        await page.screenshot({ path: join(shots, `${tag}-attach-refused.png`) });
        await finish(page);
      });
    });
  }
}
