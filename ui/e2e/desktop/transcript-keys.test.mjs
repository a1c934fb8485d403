// The keyboard in a long conversation, in the real window: with the composer focused,
// PageUp / PageDown scroll the transcript by about a page and keep the focus in the
// composer; Ctrl+Home / Ctrl+End go to the start and the end when the composer is empty,
// and move the caret as usual when it holds text. The conversation (1,000 messages) comes
// in through the core's own import command. Run by scripts/e2e-desktop.sh, which provides
// Xvfb and the keychain.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { closeApp, root, startDesktop, textsOf } from "./harness.mjs";

const shots = join(root, "target/e2e");
const MESSAGES = 1_000;
const TITLE = "A very long conversation";

let desktop;
let file;

/** A Confab conversations file with one conversation of `MESSAGES` numbered messages. */
function longConversation(folder) {
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: `Message ${i + 1}.\n\nA second paragraph, so that each message takes some room.`,
  }));
  const path = join(folder, "long.json");
  writeFileSync(
    path,
    JSON.stringify({
      format: "confab-conversations",
      version: 1,
      conversations: [{ title: TITLE, messages }],
    }),
  );
  return path;
}

before(async () => {
  file = longConversation(mkdtempSync(join(tmpdir(), "confab-keys-")));
  desktop = await startDesktop({ shots });
});

after(() => desktop?.stop());

/**
 * Imports `path` through the `import_conversations` command, called the way the UI's IPC
 * layer calls it (the progress channel is a callback id). The file dialog the Data dialog
 * opens is the desktop's own and out of WebDriver's reach.
 */
async function importFile(browser, path) {
  const error = await browser.executeAsync((file, done) => {
    const internals = globalThis.__TAURI_INTERNALS__;
    const channel = internals.transformCallback(() => {});
    internals
      .invoke("import_conversations", {
        path: file,
        kind: "confab",
        channel: `__CHANNEL__:${channel}`,
      })
      .then(
        () => done(null),
        (failure) => done(JSON.stringify(failure)),
      );
  }, path);
  assert.equal(error, null, `the import failed: ${error}`);
}

/** The transcript's scroll position and size, and where the focus is. */
async function transcript(browser) {
  return browser.execute(() => {
    const box = globalThis.document.querySelector('[data-testid="transcript"]');
    const input = globalThis.document.querySelector('[data-testid="message-input"]');
    return {
      top: box.scrollTop,
      page: box.clientHeight,
      bottom: box.scrollHeight - box.clientHeight - box.scrollTop,
      composerFocused: globalThis.document.activeElement === input,
      caret: input.selectionStart,
    };
  });
}

/** Whether the transcript shows its first message at the top. */
async function atStart(browser) {
  const { top } = await transcript(browser);
  const bodies = await textsOf(browser, '[data-testid="message"] .message__body');
  return top <= 2 && bodies.some((text) => /^Message 1\./.test(text));
}

/** Waits (up to 10 s) until the transcript's scroll position stops moving; returns it. */
async function settled(browser) {
  let last = await transcript(browser);
  for (let tries = 0; tries < 40; tries++) {
    await browser.pause(250);
    const now = await transcript(browser);
    if (now.top === last.top) return now;
    last = now;
  }
  assert.fail(`the transcript kept moving: ${JSON.stringify(last)}`);
}

async function waitFor(browser, check, message) {
  let state;
  await browser
    .waitUntil(async () => check((state = await transcript(browser))), { timeout: 10_000 })
    .catch(() => assert.fail(`${message}; the transcript is at ${JSON.stringify(state)}`));
  return state;
}

test("PageUp, PageDown, Ctrl+Home and Ctrl+End scroll the transcript from the composer", async () => {
  let browser = await desktop.openApp();
  try {
    await (await browser.$('[data-testid="new-chat"]')).waitForClickable({ timeout: 30_000 });
    await importFile(browser, file);
  } finally {
    await closeApp(browser);
  }

  // A restart shows the imported conversation in the list.
  browser = await desktop.openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForClickable({ timeout: 30_000 });
    await item.click();
    await (
      await browser.$(`[data-testid="message"]`)
    ).waitForExist({ timeout: 20_000, timeoutMsg: "the conversation did not open" });
    // It opens at the end, once the rows in view are measured.
    await waitFor(browser, (s) => s.bottom <= 2, "not at the end");
    const end = await settled(browser);

    const input = await browser.$('[data-testid="message-input"]');
    await input.click();
    assert.equal((await transcript(browser)).composerFocused, true);

    // PageUp: about a page up, and the focus stays. Rows measured as they come into view
    // move the position a little, so "about" is between half a page and two.
    await browser.keys(Key.PageUp);
    await waitFor(browser, (s) => s.top < end.top - s.page / 2, "PageUp did nothing");
    const up = await settled(browser);
    assert.ok(end.top - up.top <= up.page * 2, `PageUp moved ${end.top - up.top} px`);
    assert.equal((await transcript(browser)).composerFocused, true, "PageUp took the focus");
    await browser.keys(Key.PageUp);
    const twice = await waitFor(browser, (s) => s.top < up.top - s.page / 2, "a second PageUp");
    await browser.saveScreenshot(join(shots, "keys-page-up.png"));

    // PageDown: back towards the end.
    await browser.keys(Key.PageDown);
    await waitFor(browser, (s) => s.top > twice.top + s.page / 2, "PageDown did nothing");
    assert.equal((await transcript(browser)).composerFocused, true, "PageDown took the focus");

    // Ctrl+Home with an empty composer: the start of the conversation. Older messages load
    // a page at a time on the way; pressed again while they do, it gets there.
    for (let presses = 0; presses < 10 && !(await atStart(browser)); presses++) {
      await browser.keys([Key.Ctrl, Key.Home]);
      await settled(browser);
    }
    assert.ok(await atStart(browser), "Ctrl+Home did not reach the first message");
    await browser.saveScreenshot(join(shots, "keys-start.png"));
    // Ctrl+End: the end again.
    await browser.keys([Key.Ctrl, Key.End]);
    await waitFor(browser, (s) => s.bottom <= 2, "Ctrl+End did not reach the end");
    assert.equal((await transcript(browser)).composerFocused, true, "Ctrl+End took the focus");

    // With text in the composer, Ctrl+Home is the editor's: the caret moves, not the view.
    await browser.keys("a draft");
    const typed = await settled(browser);
    await browser.keys([Key.Ctrl, Key.Home]);
    await browser.pause(500);
    const after = await transcript(browser);
    assert.equal(after.caret, 0, "the caret did not go to the start of the draft");
    assert.equal(after.top, typed.top, "Ctrl+Home scrolled while the composer held text");
  } finally {
    await closeApp(browser);
  }
});
