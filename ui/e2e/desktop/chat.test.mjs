// The desktop end-to-end test: the real app window (debug build with the UI embedded),
// driven through tauri-driver + WebKitWebDriver, against aimock (a real OpenAI-compatible
// server) on 127.0.0.1, with the API key in a private OS keychain.
// Run by scripts/e2e-desktop.sh, which provides Xvfb and the keychain.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { closeApp, root, startDesktop } from "./harness.mjs";

const shots = join(root, "target/e2e");
const REPLY_START = "Confab is a desktop chat client";

let desktop;

before(async () => {
  desktop = await startDesktop({ shots });
  writeFileSync(join(shots, "README.txt"), "Screenshots from the desktop end-to-end test.\n");
});

after(() => desktop?.stop());

const openApp = (options) => desktop.openApp(options);

test("a streamed reply is shown as it arrives and is still there after a restart", async () => {
  let browser = await openApp();
  try {
    // The first page load can take a while on a busy machine: wait for the app to be up.
    const newChat = await browser.$('[data-testid="new-chat"]');
    await newChat.waitForClickable({ timeout: 30_000 });
    await newChat.click();
    const input = await browser.$('[data-testid="message-input"]');
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.setValue("What is Confab?");
    await (await browser.$('[data-testid="send-button"]')).click();

    // While the reply streams, part of it is on screen.
    const streaming = await browser.$('[data-testid="streaming-message"]');
    await browser.waitUntil(
      async () => (await streaming.isExisting()) && (await streaming.getText()).length > 10,
      {
        timeout: 15_000,
        timeoutMsg: "no streaming text appeared",
      },
    );
    const partial = await streaming.getText();
    await browser.saveScreenshot(join(shots, "1-streaming.png"));

    const reply = await browser.$('[data-testid="message"][data-role="assistant"]');
    await reply.waitForExist({ timeout: 20_000, timeoutMsg: "the reply did not finish" });
    assert.equal(await reply.getAttribute("data-state"), "complete");
    const text = await reply.getText();
    assert.ok(text.startsWith(REPLY_START), `reply text: ${text}`);
    assert.ok(text.length > partial.length, "the text grew after the first screenshot");
    // Markdown is rendered: the bold words are a <strong>, not asterisks.
    assert.equal(await (await reply.$("strong")).getText(), "desktop chat client");
    await browser.saveScreenshot(join(shots, "2-reply.png"));
  } finally {
    await closeApp(browser);
  }

  // Restart: a new session starts the app again on the same database.
  browser = await openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForExist({ timeout: 10_000, timeoutMsg: "the conversation is not in the list" });
    // After the first exchange the model named the conversation.
    const title = await item.$(".conv-item__title");
    let shown = "";
    await browser
      .waitUntil(
        async () => (shown = String(await title.getProperty("textContent"))) === "Confab overview",
        {
          timeout: 10_000,
        },
      )
      .catch(() => assert.fail(`the list shows "${shown}", not the generated title`));
    await browser.saveScreenshot(join(shots, "3-restarted.png"));
    await item.click();
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="message"]')).length === 2,
      {
        timeout: 10_000,
        timeoutMsg: "both messages should be back",
      },
    );
    const [question, answer] = await browser.$$('[data-testid="message"]');
    assert.equal(await question.getAttribute("data-role"), "user");
    // The bodies: each message also shows its time and details below.
    assert.equal(await (await question.$(".message__body")).getText(), "What is Confab?");
    assert.ok((await (await answer.$(".message__body")).getText()).startsWith(REPLY_START));
    await browser.saveScreenshot(join(shots, "4-reopened.png"));
  } finally {
    await closeApp(browser);
  }
});

/** Clicks a row action that shows on hover: the pointer goes over the row first. */
async function rowAction(browser, testId) {
  const item = await browser.$('[data-testid="conversation-item"]');
  await item.moveTo();
  const button = await item.$(`[data-testid="${testId}"]`);
  await button.waitForClickable({ timeout: 5_000 });
  await button.click();
}

async function titleOf(browser) {
  const title = await browser.$('[data-testid="conversation-item"] .conv-item__title');
  return String(await title.getProperty("textContent"));
}

test("search, rename, the context editor and delete act on the stored history", async () => {
  // The conversation of the first test is in the database.
  let browser = await openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForExist({ timeout: 30_000, timeoutMsg: "the conversation is not listed" });

    // Full-text search finds a word of the stored reply and jumps to the message.
    const search = await browser.$('[data-testid="search-input"]');
    await search.click();
    await search.setValue("keychain");
    const hit = await browser.$('[data-testid="search-hit"] .search-hit__role');
    await hit.waitForExist({ timeout: 10_000, timeoutMsg: "no message hit for 'keychain'" });
    const snippet = await browser.$('[data-testid="search-hit"] mark');
    assert.equal(String(await snippet.getProperty("textContent")).toLowerCase(), "keychain");
    await browser.saveScreenshot(join(shots, "5-search.png"));
    await hit.click();
    const highlighted = await browser.$(".transcript__row--highlight");
    await highlighted.waitForExist({ timeout: 10_000, timeoutMsg: "the hit was not shown" });
    // Esc in the search box clears it and brings the list back.
    await search.click();
    await browser.keys(Key.Escape);
    await item.waitForExist({ timeout: 10_000, timeoutMsg: "the list did not come back" });

    // Rename from the row.
    await rowAction(browser, "conv-rename");
    const rename = await browser.$('[data-testid="rename-input"]');
    await rename.waitForDisplayed({ timeout: 5_000 });
    // Typed as keys into the focused field: clearing it through WebDriver would blur it,
    // and leaving the field cancels a rename.
    await browser.keys([Key.Ctrl, "a"]);
    await browser.keys("Keys and chats");
    await browser.keys(Key.Enter);
    await browser.waitUntil(async () => (await titleOf(browser)) === "Keys and chats", {
      timeout: 10_000,
      timeoutMsg: "the new title is not shown",
    });
    const header = await browser.$(".chat__title");
    assert.equal(String(await header.getProperty("textContent")), "Keys and chats");

    // The context editor: leaving the question out of the context lowers the count.
    await (await browser.$('[data-testid="open-context"]')).click();
    const tokens = await browser.$('[data-testid="context-tokens"]');
    await tokens.waitForExist({ timeout: 10_000 });
    let before = "";
    await browser.waitUntil(async () => /\d/.test((before = await tokens.getText())), {
      timeout: 10_000,
      timeoutMsg: "no token count",
    });
    await (await browser.$('[data-testid="context-exclude"]')).click();
    await (await browser.$(".context-message--excluded")).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(async () => (await tokens.getText()) !== before, {
      timeout: 10_000,
      timeoutMsg: `the count stayed at ${before}`,
    });
    await browser.saveScreenshot(join(shots, "6-context.png"));
    await browser.keys(Key.Escape);
  } finally {
    await closeApp(browser);
  }

  // After a restart the new title and the exclusion are still there; then delete.
  browser = await openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForExist({ timeout: 30_000, timeoutMsg: "the conversation is not listed" });
    assert.equal(await titleOf(browser), "Keys and chats");
    await item.click();
    await (await browser.$('[data-testid="open-context"]')).click();
    await (await browser.$('[data-testid="context-drawer"]')).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(
      async () => (await browser.$$(".context-message--excluded")).length === 1,
      { timeout: 10_000, timeoutMsg: "the exclusion was not kept" },
    );
    await browser.keys(Key.Escape);

    await rowAction(browser, "conv-delete");
    await (await browser.$('[data-testid="confirm-delete"]')).click();
    await (
      await browser.$(".conv-list__empty")
    ).waitForExist({
      timeout: 10_000,
      timeoutMsg: "the list is not empty after the delete",
    });
    await browser.saveScreenshot(join(shots, "7-deleted.png"));
  } finally {
    await closeApp(browser);
  }

  browser = await openApp();
  try {
    await (
      await browser.$(".conv-list__empty")
    ).waitForExist({
      timeout: 30_000,
      timeoutMsg: "the deleted conversation came back after a restart",
    });
    assert.equal((await browser.$$('[data-testid="conversation-item"]')).length, 0);
  } finally {
    await closeApp(browser);
  }
});

test("the window opens again where it was left, at the same size", async () => {
  let browser = await openApp({ size: null });
  try {
    await (await browser.$('[data-testid="new-chat"]')).waitForClickable({ timeout: 30_000 });
    await desktop.placeWindow(browser, { x: 60, y: 40, width: 1000, height: 700 });
    // The app writes the size and place once the window has been still for half a second.
    await browser.pause(1_500);
  } finally {
    await closeApp(browser);
  }

  browser = await openApp({ size: null });
  try {
    await (await browser.$('[data-testid="new-chat"]')).waitForClickable({ timeout: 30_000 });
    const rect = await browser.getWindowRect();
    assert.deepEqual([rect.width, rect.height], [1000, 700], `reopened as ${JSON.stringify(rect)}`);
    assert.ok(Math.abs(rect.x - 60) <= 2 && Math.abs(rect.y - 40) <= 2, JSON.stringify(rect));
  } finally {
    await closeApp(browser);
  }
});
