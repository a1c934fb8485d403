// Browser tests of knowledge bases, registered by flows.test.mjs (which owns the browser and
// the dev server), on the fake core (ui/src/dev/fakeKnowledge.ts): create a base from a
// folder and watch it index, search one, attach one to a conversation and see a reply cite
// it (sources shown live, then stored), open a source; `?knowledge` adds a conversation
// whose stored reply cites three sources and whose second reply found none.

/* global window -- code run in the page */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

/** See robustness.mjs for `open` and `finish`. */
export function knowledgeTests({ open, finish, shots }) {
  for (const [lang, theme] of [
    ["en", "light"],
    ["zh-CN", "dark"],
  ]) {
    const en = lang === "en";
    describe(`${lang}, ${theme}: knowledge bases`, () => {
      const tag = `${lang}-${theme}`;

      test("create a base from a folder, watch it index, see why a file has no text", async () => {
        const page = await open(`lang=${lang}&theme=${theme}`, { width: 1280, height: 860 });
        await page.getByTestId("open-knowledge").click();
        const items = page.getByTestId("kb-item");
        await items.first().waitFor();
        assert.equal(await items.count(), 2, "the two sample bases");

        await page.getByTestId("kb-add").click();
        await page.getByTestId("kb-name").fill("Handbook");
        await page.getByTestId("kb-provider").selectOption("prov-1");
        await page.getByTestId("kb-embeddingModel").fill("nomic-embed-text");
        await page.getByTestId("kb-save").click();
        await page.locator('[data-testid="kb-item"][aria-current="true"]').waitFor();
        assert.match(await items.nth(2).innerText(), /Handbook/);
        assert.match(await items.nth(2).innerText(), /nomic-embed-text/);

        await page.getByTestId("kb-add-folder").click();
        await page.getByTestId("kb-source").waitFor();
        assert.match(await page.getByTestId("kb-source").innerText(), /Handbook/);
        const indexing = page.getByTestId("kb-indexing");
        await page.locator('[data-testid="kb-indexing"][data-state="running"]').waitFor();
        await page.screenshot({ path: join(shots, `${tag}-knowledge-indexing.png`) });
        await page.locator('[data-testid="kb-indexing"][data-state="idle"]').waitFor();
        assert.match(await indexing.innerText(), en ? /5 of 5 files/ : /5 \/ 5/);

        const files = page.getByTestId("kb-file");
        await page.locator('[data-testid="kb-file"][data-status="no_text"]').waitFor();
        assert.equal(await files.count(), 5);
        assert.match(
          await page.locator('[data-testid="kb-file"][data-status="no_text"]').innerText(),
          en ? /no text found — a scanned PDF\?/ : /扫描版 PDF/,
        );
        await page.getByTestId("kb-filter-no_text").click();
        await page.waitForFunction(
          () => window.document.querySelectorAll('[data-testid="kb-file"]').length === 1,
        );
        await finish(page, `${tag}-knowledge-indexed`);
      });

      test("pause and resume indexing; search a base, with nothing found said plainly", async () => {
        const page = await open(`lang=${lang}&theme=${theme}&knowledge`, {
          width: 1280,
          height: 860,
        });
        // The manuals index when the page opens: pause, then go on.
        await page.locator('[data-testid="kb-indexing"][data-state="running"]').waitFor();
        await page.getByTestId("kb-pause").click();
        await page.locator('[data-testid="kb-indexing"][data-state="paused"]').waitFor();
        await page.getByTestId("kb-resume").click();
        await page.locator('[data-testid="kb-indexing"][data-state="running"]').waitFor();
        await page.locator('[data-testid="kb-indexing"][data-state="idle"]').waitFor();
        assert.match(
          await page.locator('[data-testid="kb-file"][data-status="failed"]').innerText(),
          en ? /the file is damaged/ : /文件已损坏/,
        );

        const input = page.getByTestId("kb-search-input");
        await input.fill(en ? "reset wi-fi" : "Wi-Fi 重置");
        await input.press("Enter");
        const hit = page.getByTestId("kb-hit").first();
        await hit.waitFor();
        assert.match(await hit.innerText(), en ? /LX-200 Setup Guide/ : /LX-200 安装指南/);
        assert.match(await hit.innerText(), en ? /p\. 7/ : /第 7 页/);
        await hit.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `${tag}-knowledge-search.png`) });

        await input.fill("xylophone");
        await input.press("Enter");
        await page.getByTestId("kb-search-none").waitFor();
        await finish(page);
      });

      test("attach a base to a conversation, see the reply's sources live, open one", async () => {
        const page = await open(`lang=${lang}&theme=${theme}&open`);
        await page.getByTestId("knowledge-picker").click();
        await page.getByTestId("knowledge-picker-use").first().check();
        await page.keyboard.press("Escape");
        assert.match(await page.getByTestId("knowledge-picker").innerText(), /· 1/);

        await page.getByTestId("message-input").fill("How do I set up the printer?");
        await page.getByTestId("message-input").press("Enter");
        const live = page.getByTestId("streaming-message").getByTestId("reply-source");
        await live.first().waitFor();
        assert.equal(await live.count(), 2, "the sources, before the reply is done");

        const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
        await page.getByTestId("streaming-message").waitFor({ state: "detached" });
        const sources = reply.getByTestId("reply-source");
        assert.equal(await sources.count(), 2, "kept with the stored reply");
        await sources.first().getByTestId("reply-source-open").click();
        await page.waitForFunction(() => window.__fakeOpenedFiles.length === 1);
        assert.match(await page.evaluate(() => window.__fakeOpenedFiles[0]), /setup-guide\.pdf$/);
        await finish(page, `${tag}-knowledge-reply`);
      });

      test("a stored reply's [n] links to its sources; a search that found nothing is said", async () => {
        const page = await open(`lang=${lang}&theme=${theme}&knowledge&open`, {
          width: 1280,
          height: 900,
        });
        const first = page.locator('[data-testid="message"][data-role="assistant"]').first();
        await first.getByTestId("reply-sources").waitFor();
        const links = first.getByTestId("cite-ref");
        assert.equal(await links.count(), 3, "[1] [2] [3]; [7] and the code's [1] stay text");
        assert.match(await first.innerText(), /\[7\]/);
        await links.nth(1).click();
        await first.locator('[data-testid="reply-source"][data-highlighted="true"]').waitFor();
        assert.match(
          await first.locator('[data-testid="reply-source"][data-highlighted="true"]').innerText(),
          en ? /Wi-Fi › Reset/ : /Wi-Fi › 重置/,
        );
        assert.match(
          await page.getByTestId("reply-sources-nothing").innerText(),
          en ? /Searched Printer manuals: no relevant passages found/ : /未找到相关段落/,
        );
        await finish(page, `${tag}-knowledge-cited`);
      });
    });
  }
}
