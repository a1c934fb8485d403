// Versions and branches in the real window: a reply regenerated twice keeps all three
// versions, `‹ 2 / 3 ›` switches between them, an edited message starts a branch that can
// be left and come back to, and after a restart the same branch is shown. Then a reasoning
// model's reply: its thinking in a block, closed once the answer is there.
// Run by scripts/e2e-desktop.sh (Xvfb, keychain, aimock on 127.0.0.1).

import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { closeApp, root, startDesktop } from "./harness.mjs";

const shots = join(root, "target/e2e/versions");
const JOKES = [
  "Why did the database break up?",
  "A SQL query walks into a bar",
  "There are 10 kinds of people",
];
const PUN = "I used to be a banker";

let desktop;

before(async () => {
  desktop = await startDesktop({ shots, fixtures: "versions-fixtures.json" });
});

after(() => desktop?.stop());

/** The messages shown, as [role, body text, "2 / 3" or ""]. */
async function transcript(browser) {
  const rows = [];
  for (const message of await browser.$$('[data-testid="message"]')) {
    const body = await (await message.$(".message__body")).getText();
    const count = await message.$('[data-testid="version-count"]');
    rows.push([
      await message.getAttribute("data-role"),
      body,
      (await count.isExisting()) ? await count.getText() : "",
    ]);
  }
  return rows;
}

/** Waits until the last reply is stored (not streaming) and starts with `text`. */
async function replyDone(browser, text) {
  let rows = [];
  await browser
    .waitUntil(
      async () => {
        if (await (await browser.$('[data-testid="streaming-message"]')).isExisting()) return false;
        rows = await transcript(browser);
        return rows.at(-1)?.[0] === "assistant" && rows.at(-1)[1].includes(text);
      },
      { timeout: 20_000 },
    )
    .catch(() => assert.fail(`the last reply is not "${text}…": ${JSON.stringify(rows)}`));
  return rows;
}

/** Starts a new conversation and sends `text` (the first page load can take a while). */
async function sendInNewChat(browser, text) {
  const newChat = await browser.$('[data-testid="new-chat"]');
  await newChat.waitForClickable({ timeout: 30_000 });
  await newChat.click();
  const input = await browser.$('[data-testid="message-input"]');
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.setValue(text);
  await (await browser.$('[data-testid="send-button"]')).click();
}

/** Clicks a control of the `index`th message (it shows on hover). */
async function clickIn(browser, index, testId) {
  const message = (await browser.$$('[data-testid="message"]'))[index];
  await message.moveTo();
  const button = await message.$(`[data-testid="${testId}"]`);
  await button.waitForClickable({ timeout: 5_000 });
  await button.click();
}

test("regenerate twice, switch versions, edit, switch back, restart: the same branch", async () => {
  let browser = await desktop.openApp();
  try {
    await sendInNewChat(browser, "Tell me a joke");
    await replyDone(browser, JOKES[0]);

    await clickIn(browser, 1, "regenerate");
    let rows = await replyDone(browser, JOKES[1]);
    assert.equal(rows[1][2], "2 / 2");
    await clickIn(browser, 1, "regenerate");
    rows = await replyDone(browser, JOKES[2]);
    assert.equal(rows[1][2], "3 / 3");
    await browser.saveScreenshot(join(shots, "1-three-versions.png"));

    // Back through the versions: nothing was lost.
    await clickIn(browser, 1, "version-previous");
    rows = await replyDone(browser, JOKES[1]);
    assert.equal(rows[1][2], "2 / 3");
    await clickIn(browser, 1, "version-previous");
    rows = await replyDone(browser, JOKES[0]);
    assert.equal(rows[1][2], "1 / 3");
    await clickIn(browser, 1, "version-next");
    rows = await replyDone(browser, JOKES[1]);
    assert.equal(rows[1][2], "2 / 3");

    // Edit the question: a new version of it, with its own reply.
    await clickIn(browser, 0, "edit-message");
    const editor = await browser.$('[data-testid="message"] textarea');
    await editor.waitForDisplayed({ timeout: 5_000 });
    await editor.clearValue();
    await editor.setValue("Tell me a pun");
    await (await browser.$('[data-testid="edit-save"]')).click();
    rows = await replyDone(browser, PUN);
    assert.deepEqual(
      rows.map(([role, body, count]) => [role, body.slice(0, 13), count]),
      [
        ["user", "Tell me a pun", "2 / 2"],
        ["assistant", PUN.slice(0, 13), ""],
      ],
    );
    await browser.saveScreenshot(join(shots, "2-edited.png"));

    // Back to the first question: its branch as it was left, the second joke shown.
    await clickIn(browser, 0, "version-previous");
    rows = await replyDone(browser, JOKES[1]);
    assert.equal(rows[0][1], "Tell me a joke");
    assert.equal(rows[0][2], "1 / 2");
    assert.equal(rows[1][2], "2 / 3");
  } finally {
    await closeApp(browser);
  }

  // A restart opens the same branch.
  browser = await desktop.openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForExist({ timeout: 30_000, timeoutMsg: "the conversation is not listed" });
    await item.click();
    const rows = await replyDone(browser, JOKES[1]);
    assert.deepEqual(
      rows.map(([role, , count]) => [role, count]),
      [
        ["user", "1 / 2"],
        ["assistant", "2 / 3"],
      ],
    );
    assert.equal(rows[0][1], "Tell me a joke");
    await browser.saveScreenshot(join(shots, "3-restarted.png"));
  } finally {
    await closeApp(browser);
  }
});

test("a reasoning reply shows its thinking in a block, closed once answered", async () => {
  const browser = await desktop.openApp();
  try {
    await sendInNewChat(browser, "Think first");

    await replyDone(browser, "Thought it through: forty-two.");
    const reply = (await browser.$$('[data-testid="message"]'))[1];
    const toggle = await reply.$('[data-testid="thinking-toggle"]');
    await toggle.waitForExist({ timeout: 5_000, timeoutMsg: "no thinking block" });
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.match(await toggle.getText(), /Thought for/);
    assert.equal(await (await reply.$('[data-testid="thinking-text"]')).isExisting(), false);
    // The answer alone is the message's text: no thinking in it.
    assert.equal(await (await reply.$(".markdown")).getText(), "Thought it through: forty-two.");
    await browser.saveScreenshot(join(shots, "4-thinking-closed.png"));

    await toggle.click();
    const text = await reply.$('[data-testid="thinking-text"]');
    await text.waitForDisplayed({ timeout: 5_000 });
    assert.match(await text.getText(), /think before answering/);
    await browser.saveScreenshot(join(shots, "5-thinking-open.png"));
  } finally {
    await closeApp(browser);
  }
});
