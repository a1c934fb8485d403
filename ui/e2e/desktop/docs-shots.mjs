// Screenshots for the user guide (docs/), from the real app: the debug build with the UI
// embedded, driven through tauri-driver under Xvfb against aimock, once in English and once
// in Simplified Chinese. Not a test; run by `npm run docs:screenshots`, which writes
// docs/images/<lang>-*.png.

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Key } from "webdriverio";
import { API_KEY, closeApp, root, startDesktop, typeInto, waitForTexts } from "./harness.mjs";

const out = join(root, "docs/images");

async function waitUp(browser) {
  await (await browser.$('[data-testid="new-chat"]')).waitForClickable({ timeout: 60_000 });
}

async function shot(browser, lang, name) {
  // Let dialogs finish fading in.
  await browser.pause(500);
  await browser.saveScreenshot(join(out, `${lang}-${name}.png`));
}

async function chooseLanguage(browser, lang) {
  await (await browser.$('[data-testid="open-settings"]')).click();
  const select = await browser.$('[data-testid="setting-language"]');
  await select.waitForEnabled({ timeout: 10_000 });
  await select.selectByAttribute("value", lang);
  await browser.pause(300);
  await browser.keys(Key.Escape);
}

async function chatFlow(browser, lang, question) {
  await (await browser.$('[data-testid="new-chat"]')).click();
  const input = await browser.$('[data-testid="message-input"]');
  await input.setValue(question);
  await (await browser.$('[data-testid="send-button"]')).click();
  const streaming = await browser.$('[data-testid="streaming-message"]');
  await browser.waitUntil(
    async () => (await streaming.isExisting()) && (await streaming.getText()).length > 40,
    {
      timeout: 20_000,
    },
  );
  await browser.saveScreenshot(join(out, `${lang}-streaming.png`));
  await (
    await browser.$('[data-testid="message"][data-role="assistant"]')
  ).waitForExist({ timeout: 30_000 });
}

async function pages(browser, lang, word, aimockUrl) {
  const search = await browser.$('[data-testid="search-input"]');
  await search.click();
  await search.setValue(word);
  await (await browser.$('[data-testid="search-hit"]')).waitForExist({ timeout: 10_000 });
  await shot(browser, lang, "search");
  await browser.keys(Key.Escape);

  await (await browser.$('[data-testid="open-context"]')).click();
  await (await browser.$('[data-testid="context-tokens"]')).waitForExist({ timeout: 10_000 });
  await shot(browser, lang, "context");
  await browser.keys(Key.Escape);

  // A provider as someone would set one up: a gateway, its key, a passing connection test.
  await (await browser.$('[data-testid="open-providers"]')).click();
  await (await browser.$('[data-testid="provider-add-blank"]')).click();
  await typeInto(
    browser,
    '[data-testid="provider-name"]',
    lang === "en" ? "Company gateway" : "公司网关",
  );
  await typeInto(browser, '[data-testid="provider-base-url-input"]', `${aimockUrl}/v1`);
  await typeInto(browser, '[data-testid="provider-model-input"]', "gpt-4o-mini");
  await (await browser.$('[data-testid="provider-save"]')).click();
  await typeInto(browser, '[data-testid="provider-key-input"]', API_KEY);
  await (await browser.$('[data-testid="provider-key-save"]')).click();
  await waitForTexts(
    browser,
    '[data-testid="provider-key-status"]',
    (texts) => texts[0]?.includes(API_KEY.slice(-4)),
    "the key was not saved",
  );
  await (await browser.$('[data-testid="provider-test"]')).click();
  await waitForTexts(
    browser,
    '[data-testid="provider-test-result"] .field-success',
    (texts) => texts.length === 1,
    "the connection test did not pass",
  );
  await shot(browser, lang, "providers");
  await browser.keys(Key.Escape);

  await (await browser.$('[data-testid="agent-new-sidebar"]')).click();
  await shot(browser, lang, "agent-editor");
  await browser.keys(Key.Escape);

  await (await browser.$('[data-testid="open-settings"]')).click();
  await (await browser.$('[data-testid="diagnostics-settings"]')).waitForExist({ timeout: 10_000 });
  await shot(browser, lang, "settings");
  await browser.keys(Key.Escape);

  await (await browser.$('[data-testid="open-admin"]')).click();
  await (await browser.$('[data-testid="admin-totals"]')).waitForExist({ timeout: 10_000 });
  await shot(browser, lang, "statistics");
  await browser.keys(Key.Escape);

  await (await browser.$('[data-testid="open-data"]')).click();
  await (await browser.$('[data-testid="data-db-path"]')).waitForExist({ timeout: 10_000 });
  await shot(browser, lang, "data");
  await browser.keys(Key.Escape);
}

const only = process.env.DOCS_LANG;
const runs = [
  { lang: "en", question: "What is Confab?", word: "keychain" },
  { lang: "zh-CN", question: "Confab 是什么？", word: "钥匙串" },
];

for (const { lang, question, word } of runs.filter((r) => !only || r.lang === only)) {
  const desktop = await startDesktop({ shots: out });
  try {
    const browser = await desktop.openApp();
    try {
      await waitUp(browser);
      if (lang !== "en") await chooseLanguage(browser, lang);
      await chatFlow(browser, lang, question);
      await shot(browser, lang, "reply");
      await pages(browser, lang, word, desktop.aimockUrl);
    } finally {
      await closeApp(browser);
    }
    // A damaged database file (and no write-ahead log to read the pages from): the app
    // opens on the recovery screen.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const db = join(desktop.dataDir, "confab.db");
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    writeFileSync(db, "this is not a database ".repeat(4096));
    const damaged = await desktop.openApp();
    try {
      await (
        await damaged.$('[data-testid="recovery-screen"]')
      )
        .waitForExist({ timeout: 60_000 })
        .catch(async (error) => {
          await damaged.saveScreenshot(join(out, `failed-${lang}-recovery.png`));
          throw error;
        });
      await shot(damaged, lang, "recovery");
    } finally {
      await closeApp(damaged);
    }
  } finally {
    desktop.stop();
  }
}
console.log(`screenshots in ${out}`);
