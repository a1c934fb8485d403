// Browser tests: the UI in Chromium against the Vite dev server with its fake core (`?fake`,
// ui/src/dev/fakeCore.ts: commands answered from memory, canned streamed replies). The fake
// core stands in for the Rust core, which cannot run inside a plain browser; the desktop
// end-to-end test (ui/e2e/desktop) covers the real one.
// Screenshots of every flow, in both languages and both themes, go to target/ui-screenshots/.

/* global document, window -- code run in the page */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { openFake, screenshotDir, uiSession } from "./harness.mjs";
import { robustnessTests, stressTests } from "./robustness.mjs";
import { stateTests } from "./states.mjs";
import { knowledgeTests } from "./knowledge.mjs";
import { toolTests } from "./tools.mjs";

const shots = screenshotDir("ui-screenshots");
const session = uiSession();

/** A fresh page on `?fake&<query>`, failing the test on any uncaught page error. */
async function open(query, viewport = { width: 1100, height: 720 }) {
  const page = await openFake(session, query, viewport, { failOnDialog: true });
  await page.getByTestId("message-input").waitFor();
  return page;
}

async function finish(page, name) {
  if (name) await page.screenshot({ path: join(shots, `${name}.png`) });
  assert.deepEqual(page.errors, [], "no page errors");
  await page.context().close();
}

const assistantMessages = (page) => page.locator('[data-testid="message"][data-role="assistant"]');

for (const lang of ["en", "zh-CN"]) {
  for (const theme of ["light", "dark"]) {
    describe(`${lang}, ${theme}`, () => {
      const tag = `${lang}-${theme}`;
      const base = `lang=${lang}&theme=${theme}`;
      const reply = lang === "en" ? "That is all." : "就这些。";

      test("send a message and see the reply stream in", async () => {
        const page = await open(base);
        const input = page.getByTestId("message-input");
        await input.fill("First line");
        await input.press("Shift+Enter");
        await input.pressSequentially("second line");
        assert.equal(await input.inputValue(), "First line\nsecond line");
        await input.press("Enter");
        await page.getByTestId("stop-button").waitFor();
        await page.screenshot({ path: join(shots, `${tag}-streaming.png`) });
        await assistantMessages(page).last().getByText(reply).waitFor();
        const user = page.locator('[data-testid="message"][data-role="user"]').last();
        assert.equal(await user.locator(".message__plain").innerText(), "First line\nsecond line");
        assert.equal(await input.inputValue(), "");
        await finish(page, `${tag}-replied`);
      });

      test("stop a reply with Esc; it is kept, marked as stopped", async () => {
        const page = await open(`${base}&slow`);
        await page.getByTestId("message-input").fill("Tell me a long story");
        await page.getByTestId("message-input").press("Enter");
        await page.locator(".message--streaming, [aria-busy='true']").first().waitFor();
        await page.waitForTimeout(900);
        await page.keyboard.press("Escape");
        await page.locator('[data-testid="message"][data-state="cancelled"]').waitFor();
        await page.getByTestId("send-button").waitFor();
        await finish(page, `${tag}-stopped`);
      });

      test("regenerate the last reply", async () => {
        const page = await open(`${base}&open=2`);
        const before = await assistantMessages(page).count();
        const lastBefore = await assistantMessages(page).last().innerText();
        await page.getByTestId("regenerate").click();
        await assistantMessages(page).last().getByText(reply).waitFor();
        assert.equal(await assistantMessages(page).count(), before);
        assert.notEqual(await assistantMessages(page).last().innerText(), lastBefore);
        await finish(page, `${tag}-regenerated`);
      });

      test("switch conversations from the sidebar", async () => {
        const page = await open(`${base}&open`);
        const items = page.getByTestId("conversation-item");
        const second = items.nth(1);
        const title = await second.locator(".conv-item__title").innerText();
        await second.locator(".conv-item__main").click();
        await page.locator(".chat__title", { hasText: title }).waitFor();
        assert.equal(await second.locator(".conv-item__main").getAttribute("aria-current"), "page");
        await finish(page, `${tag}-switched`);
      });

      test("a rich reply: table, highlighted code and math; links open outside", async () => {
        const page = await open(`${base}&rich`);
        await page.getByTestId("message-input").fill("Compare Rust and Python");
        await page.getByTestId("message-input").press("Enter");
        const last = assistantMessages(page).last();
        await last.getByText(reply).waitFor();
        await page.getByTestId("send-button").waitFor();
        assert.equal(await last.locator("table tr").count(), 3);
        assert.ok((await last.locator("pre code.hljs.language-rust .hljs-keyword").count()) > 0);
        assert.ok((await last.locator("pre code.language-python .hljs-string").count()) > 0);
        assert.equal(await last.locator(".md-code__lang").first().innerText(), "rust");
        assert.equal(await last.locator(".katex").count(), 3);
        assert.equal(await last.locator(".katex-display").count(), 1);
        assert.equal(await last.locator(".katex-error").count(), 0);
        assert.equal(await last.locator("img").count(), 0);
        // KaTeX's own fonts are bundled and load under the app's CSP.
        const mathFonts = await page.evaluate(async () => {
          await document.fonts.ready;
          return [...document.fonts].filter(
            (f) => f.family.includes("KaTeX") && f.status === "loaded",
          ).length;
        });
        assert.ok(mathFonts > 0, "KaTeX fonts loaded");
        await last.locator("pre").first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `${tag}-rich-reply.png`) });
        // The long line scrolls inside its block, not the page.
        const pre = last.locator("pre").nth(1);
        const sizes = await pre.evaluate((el) => [el.scrollWidth, el.clientWidth]);
        assert.ok(sizes[0] > sizes[1], `the long line overflows its block: ${sizes}`);
        assert.equal(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          true,
          "no horizontal scrolling of the page",
        );
        const url = page.url();
        await last.getByRole("link", { name: "Rust docs" }).click();
        await page.waitForFunction(() => (window.__openedUrls ?? []).length > 0);
        assert.deepEqual(await page.evaluate(() => window.__openedUrls), [
          "https://doc.rust-lang.org",
        ]);
        assert.equal(page.url(), url, "the app did not navigate");
        await finish(page, `${tag}-rich-reply-end`);
      });

      test("manage: search with Ctrl+K jumps to the message", async () => {
        const page = await open(`${base}&open`);
        await page.keyboard.press("Control+k");
        const box = page.getByTestId("search-input");
        assert.equal(await box.evaluate((el) => el === document.activeElement), true);
        await box.pressSequentially("Rust");
        const hits = page.getByTestId("search-hit");
        await hits.first().waitFor();
        assert.ok((await page.locator(".search-hit mark").count()) > 0, "matches are marked");
        await page.screenshot({ path: join(shots, `${tag}-search.png`) });
        await page
          .locator(".search-hit", { has: page.locator(".search-hit__role") })
          .first()
          .click();
        await page.locator(".transcript__row--highlight").waitFor();
        await page.screenshot({ path: join(shots, `${tag}-search-jump.png`) });
        await box.press("Escape");
        assert.equal(await box.inputValue(), "");
        await page.getByTestId("conversation-item").first().waitFor();
        await finish(page);
      });

      test("manage: rename and pin a conversation", async () => {
        const page = await open(base);
        const items = page.getByTestId("conversation-item");
        const last = items.last();
        await last.hover();
        await last.getByTestId("conv-pin").click();
        await items.first().locator(".conv-item__pin").waitFor();
        const first = items.first();
        await first.hover();
        await first.getByTestId("conv-rename").click();
        const input = page.getByTestId("rename-input");
        await input.fill(lang === "en" ? "Pinned and renamed" : "置顶并改名");
        await input.press("Enter");
        await first.getByText(lang === "en" ? "Pinned and renamed" : "置顶并改名").waitFor();
        await items.nth(1).hover();
        await finish(page, `${tag}-sidebar-actions`);
      });

      test("manage: the context editor", async () => {
        const page = await open(`${base}&open`);
        await page.getByTestId("open-context").click();
        const drawer = page.getByTestId("context-drawer");
        const tokens = page.getByTestId("context-tokens");
        await tokens.waitFor();
        const before = await tokens.innerText();
        assert.match(before, /32,000/);
        await page
          .getByTestId("context-system-prompt")
          .fill(lang === "en" ? "Answer like a pirate." : "用海盗的口吻回答。");
        await page.getByTestId("context-add-preset").click();
        await drawer.locator(".context-preset textarea").fill(lang === "en" ? "Ahoy!" : "你好！");
        await page.getByTestId("context-save").click();
        await page.waitForFunction(
          (old) => document.querySelector('[data-testid="context-tokens"]')?.textContent !== old,
          before,
        );
        await drawer.getByTestId("context-exclude").first().click();
        await drawer.locator(".context-message--excluded").first().waitFor();
        await page.screenshot({ path: join(shots, `${tag}-context.png`) });
        await page.keyboard.press("Escape");
        await page.locator(".transcript__row--excluded").first().waitFor();
        await finish(page, `${tag}-context-excluded`);
      });

      test("works at 800×600", async () => {
        const page = await open(`${base}&open`, { width: 800, height: 600 });
        const input = page.getByTestId("message-input");
        assert.ok(await input.isVisible());
        const box = await input.boundingBox();
        assert.ok(box && box.y + box.height <= 600, "the input is on screen");
        assert.equal(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          true,
          "no horizontal scrolling",
        );
        await finish(page, `${tag}-800x600`);
      });
    });
  }
}

test("works at 4K: the message column stays readable and centred", async () => {
  const page = await open("lang=en&theme=light&open&rich", { width: 3840, height: 2160 });
  await page.locator('[data-testid="message"]').first().waitFor();
  const column = await page.locator('[data-testid="message"]').first().boundingBox();
  const pane = await page.locator("main.chat").boundingBox();
  assert.ok(column && pane, "the chat pane and a message are on screen");
  assert.ok(column.width <= 800, `a message is ${column.width}px wide, not the whole screen`);
  const left = column.x - pane.x;
  const right = pane.x + pane.width - (column.x + column.width);
  assert.ok(Math.abs(left - right) < pane.width * 0.2, `centred (${left} / ${right})`);
  await finish(page, "en-light-4k");
});

test("settings: switching the language redraws the UI in it", async () => {
  const page = await open("lang=en&theme=light&open");
  await page.getByRole("button", { name: "Settings" }).click();
  const language = page.getByTestId("setting-language");
  await language.waitFor();
  await page.screenshot({ path: join(shots, "settings-en.png") });
  await language.selectOption("zh-CN");
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { name: "设置" }).waitFor();
  await page.screenshot({ path: join(shots, "settings-zh-CN.png") });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "新对话" }).waitFor();
  await page.getByRole("button", { name: "设置" }).click();
  await page.getByTestId("setting-language").selectOption("en");
  await dialog.getByRole("heading", { name: "Settings" }).waitFor();
  await finish(page);
});

test("Ctrl+N starts a new chat", async () => {
  const page = await open("lang=en&open");
  const count = await page.getByTestId("conversation-item").count();
  await page.getByTestId("message-input").press("Control+n");
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="conversation-item"]').length > n,
    count,
  );
  assert.equal(await page.locator('[data-testid="message"]').count(), 0);
  await finish(page);
});

describe("a 10,000-message conversation", () => {
  test("renders only what is on screen and follows the end", async () => {
    const page = await open("lang=en&theme=light&long=10000&open");
    await page.getByText("Answer 5000.").waitFor();
    const rendered = await page.locator('[data-testid="message"]').count();
    assert.ok(rendered > 3 && rendered < 60, `rendered ${rendered} messages`);
    const transcript = page.getByTestId("transcript");
    const gap = await transcript.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    assert.ok(gap < 2, `scrolled to the end (${gap}px left)`);
    await finish(page, "long-conversation");
  });

  test("scrolling to the top loads older messages and keeps the view in place", async () => {
    const page = await open("lang=en&theme=dark&long=10000&open");
    await page.getByText("Answer 5000.").waitFor();
    const transcript = page.getByTestId("transcript");
    // Scroll up with the wheel: the view stops following the end.
    await transcript.hover();
    await page.mouse.wheel(0, -600);
    await page.getByTestId("jump-to-latest").waitFor();
    // Then to the very top, where the oldest loaded message sits just below the padding.
    const anchor = page.getByText("Question number 4901", { exact: true });
    await transcript.evaluate((el) => el.scrollTo(0, 0));
    // The page before arrives in front (200 messages above): what was on screen stays there.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="transcript"]');
      return el !== null && el.scrollTop > 5000;
    });
    await page.waitForTimeout(300);
    const top = (await transcript.boundingBox()).y;
    const y = (await anchor.boundingBox())?.y;
    assert.ok(
      y !== undefined && y - top > 0 && y - top < 60,
      `the message seen stays (${y - top})`,
    );
    // The older page is really there, just above.
    for (let i = 0; i < 20 && !(await page.getByText("Answer 4900.").count()); i++) {
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(30);
    }
    await page.getByText("Answer 4900.").waitFor();
    await page.screenshot({ path: join(shots, "long-conversation-older.png") });

    // Jump back to the end; sending then follows the reply.
    await page.getByTestId("jump-to-latest").click();
    await page.getByTestId("jump-to-latest").waitFor({ state: "detached" });
    await page.getByText("Answer 5000.").waitFor();
    await finish(page);
  });

  test("scrolling up while a reply streams stops following it", async () => {
    const page = await open("lang=en&theme=light&long=400&open&slow");
    await page.getByTestId("message-input").fill("Another question");
    await page.getByTestId("message-input").press("Enter");
    await page.getByTestId("stop-button").waitFor();
    await page.waitForTimeout(500);
    await page.getByTestId("transcript").hover();
    await page.mouse.wheel(0, -800);
    await page.getByTestId("jump-to-latest").waitFor();
    const transcript = page.getByTestId("transcript");
    const top = await transcript.evaluate((el) => el.scrollTop);
    await page.waitForTimeout(1500);
    assert.equal(await transcript.evaluate((el) => el.scrollTop), top, "the view stays put");
    await page.screenshot({ path: join(shots, "scrolled-up-while-streaming.png") });
    await page.getByTestId("jump-to-latest").click();
    await page.waitForTimeout(200);
    const gap = await transcript.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    assert.ok(gap < 2, `back at the end (${gap}px left)`);
    await page.keyboard.press("Escape");
    await finish(page);
  });
});

test("10,000 conversations: the sidebar list is virtualized and pages in", async () => {
  const page = await open("lang=en&convs=10000");
  const items = page.getByTestId("conversation-item");
  await items.first().waitFor();
  const rendered = await items.count();
  assert.ok(rendered < 80, `rendered ${rendered} rows`);
  const scroller = page.locator(".conv-list__scroller");
  for (let i = 0; i < 20; i++) {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(50);
  }
  const size = Number(await items.first().getAttribute("aria-setsize"));
  assert.ok(size > 200, `more than one page loaded (${size})`);
  await finish(page, "many-conversations");
});

describe("start-up recovery", () => {
  for (const lang of ["en", "zh-CN"]) {
    for (const theme of ["light", "dark"]) {
      test(`${lang}, ${theme}: a damaged database opens the recovery screen`, async () => {
        const context = await session.browser.newContext({
          viewport: { width: 800, height: 600 },
          colorScheme: theme,
        });
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${session.ui.url}?fake&lang=${lang}&recovery=corrupt`);
        await page.getByTestId("recovery-screen").waitFor();
        assert.equal(await page.getByTestId("message-input").count(), 0, "no chat behind it");
        assert.equal(await page.getByTestId("recovery-backup").count(), 2);
        await page.screenshot({ path: join(shots, `recovery-${lang}-${theme}.png`) });
        await page.getByTestId("recovery-backup").first().getByRole("button").click();
        await page.getByTestId("recovery-confirm").click();
        await page.getByRole("status").waitFor();
        assert.deepEqual(errors, [], "no page errors");
        await context.close();
      });
    }
  }
});

describe("statistics", () => {
  for (const lang of ["en", "zh-CN"]) {
    for (const theme of ["light", "dark"]) {
      test(`${lang}, ${theme}: usage and activity`, async () => {
        const page = await open(`lang=${lang}&theme=${theme}`);
        await page.getByTestId("open-admin").click();
        await page.getByTestId("admin-totals").waitFor();
        // The dialog fades in; the screenshot waits for it.
        await page.waitForTimeout(400);
        const bars = page.getByRole("list").first().getByRole("listitem");
        assert.equal(await bars.count(), 30, "a bar per day of the last 30");
        await page.screenshot({ path: join(shots, `${lang}-${theme}-admin-usage.png`) });
        await page.getByTestId("admin-tab-activity").click();
        await page.getByTestId("admin-error").first().waitFor();
        await finish(page, `${lang}-${theme}-admin-activity`);
      });
    }
  }

  test("works at 800×600", async () => {
    const page = await open("lang=zh-CN&theme=light", { width: 800, height: 600 });
    await page.getByTestId("open-admin").click();
    await page.getByTestId("admin-totals").waitFor();
    await page.waitForTimeout(400);
    await finish(page, "admin-800x600");
  });
});

robustnessTests({ open, finish, shots });
stateTests({ open, finish, shots });
toolTests({ open, finish, shots });
knowledgeTests({ open, finish, shots });
stressTests({ open, finish });
