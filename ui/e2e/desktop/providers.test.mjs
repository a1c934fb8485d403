// The desktop end-to-end test of providers and keys, through the real window, the real
// keychain (gnome-keyring under dbus-run-session) and aimock: add a provider, test it without
// a key (aimock refuses), paste the key, test again (it lists its models), make it the default
// provider in Settings and chat through it, clear the key.
// The key is shown only by its last four characters and is never in the database file.
// Run by scripts/e2e-desktop.sh, which provides Xvfb and the keychain.

import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import {
  API_KEY,
  click,
  clickWithText,
  closeApp,
  root,
  startDesktop,
  textsOf,
  typeInto,
  waitForTexts,
} from "./harness.mjs";

const shots = join(root, "target/e2e");

let desktop;

before(async () => {
  desktop = await startDesktop({ shots });
});

after(() => desktop?.stop());

/** Where the app writes its logs (Tauri's app log folder; on Linux under the temporary HOME). */
function logDir() {
  const id = "app.confab.desktop";
  if (process.platform === "darwin") return join(homedir(), "Library/Logs", id);
  if (process.platform === "win32") return join(process.env.LOCALAPPDATA ?? "", id, "logs");
  const data = process.env.XDG_DATA_HOME || join(homedir(), ".local/share");
  return join(data, id, "logs");
}

/** Waits for the key's status to read `expected`; returns it. */
async function keyStatus(browser, expected, what) {
  const [text] = await waitForTexts(
    browser,
    '[data-testid="provider-key-status"]',
    (texts) => texts[0]?.includes(expected),
    what,
  );
  return text;
}

/** Waits for the connection test's result and returns its text. */
async function testResult(browser, expected, what) {
  const [text] = await waitForTexts(
    browser,
    '[data-testid="provider-test-result"]',
    (texts) => texts.length === 1 && texts[0].includes(expected),
    what,
  );
  return text;
}

test("a provider's key goes to the keychain, is shown by its last four characters, and works", async () => {
  const browser = await desktop.openApp();
  try {
    await click(browser, '[data-testid="open-providers"]');
    // The built-in provider is there from the start, filled from CONFAB_BASE_URL / _MODEL.
    await waitForTexts(
      browser,
      '[data-testid="provider-item"]',
      (texts) => texts.length === 1 && texts[0].includes("Built-in"),
      "the built-in provider is not listed",
    );
    await click(browser, '[data-testid="provider-add-blank"]');
    await typeInto(browser, '[data-testid="provider-name"]', "Gateway");
    await typeInto(browser, '[data-testid="provider-base-url-input"]', `${desktop.aimockUrl}/v1`);
    await typeInto(browser, '[data-testid="provider-model-input"]', "gateway-model");
    await click(browser, '[data-testid="provider-save"]');
    await waitForTexts(
      browser,
      '[data-testid="provider-item"]',
      (texts) => texts.length === 2 && texts.some((text) => text.includes("Gateway")),
      "the new provider is not listed",
    );
    await keyStatus(browser, "Not set", "a new provider has no key");

    // Without a key aimock answers 401, and the result says there is no key.
    await click(browser, '[data-testid="provider-test"]');
    await testResult(browser, "No API key is set", "no error without a key");

    // With the key: only its last four characters are shown, and the server lists its models.
    await typeInto(browser, '[data-testid="provider-key-input"]', API_KEY);
    await click(browser, '[data-testid="provider-key-save"]');
    const status = await keyStatus(browser, "Set", "the key was not saved");
    assert.ok(status.includes(API_KEY.slice(-4)), status);
    const page = await browser.execute(() =>
      encodeURIComponent(globalThis.document.body.innerHTML),
    );
    assert.ok(!decodeURIComponent(page).includes(API_KEY), "the key is in the page");
    await click(browser, '[data-testid="provider-test"]');
    const connected = await testResult(browser, "Connected", "the key did not work");
    assert.match(connected, /Connected: \d+ models?, \d+ ms\./);
    await browser.saveScreenshot(join(shots, "providers-1-connected.png"));
    await browser.keys(Key.Escape);

    // Chosen as the default provider in Settings, it answers a new chat (the Default agent
    // names no provider): the request carries its model, not the built-in provider's.
    await click(browser, '[data-testid="open-settings"]');
    const select = await browser.$('[data-testid="setting-default-provider"]');
    await select.waitForEnabled({ timeout: 10_000 });
    await select.selectByVisibleText("Gateway");
    await browser.waitUntil(async () => (await select.getValue()) !== "builtin", {
      timeout: 10_000,
      timeoutMsg: "the default provider was not changed",
    });
    await browser.keys(Key.Escape);
    await click(browser, '[data-testid="new-chat"]');
    await typeInto(browser, '[data-testid="message-input"]', "What is Confab?");
    await click(browser, '[data-testid="send-button"]');
    await waitForTexts(
      browser,
      '[data-testid="message"][data-role="assistant"][data-state="complete"]',
      (texts) => texts.length === 1,
      "the default provider did not answer",
    );
    const chats = (await desktop.journal())
      .map((entry) => entry.body)
      .filter((body) => Array.isArray(body?.messages));
    assert.ok(chats.length > 0);
    assert.deepEqual(new Set(chats.map((body) => body.model)), new Set(["gateway-model"]));

    // Back on the providers page.
    await click(browser, '[data-testid="open-providers"]');
    await clickWithText(browser, '[data-testid="provider-item"]', "Gateway");

    // Clearing it takes it out of the keychain: the next test is refused again.
    await click(browser, '[data-testid="provider-key-clear"]');
    await keyStatus(browser, "Not set", "the key was not cleared");
    await click(browser, '[data-testid="provider-test"]');
    await testResult(browser, "No API key is set", "a cleared key still worked");
    assert.deepEqual(await textsOf(browser, '[data-testid="provider-item"]'), [
      "Built-ingpt-4o-mini",
      "Gatewaygateway-model",
    ]);
  } finally {
    await closeApp(browser);
  }

  // Neither the database (with its write-ahead log) nor the log files ever held the key.
  const logs = logDir();
  const files = [
    ...readdirSync(desktop.dataDir).map((name) => join(desktop.dataDir, name)),
    ...readdirSync(logs).map((name) => join(logs, name)),
  ];
  assert.ok(
    files.some((file) => file.endsWith("confab.db")),
    "no database file",
  );
  assert.ok(
    files.some((file) => file.startsWith(logs)),
    "no log file",
  );
  for (const file of files) {
    assert.ok(!readFileSync(file).includes(API_KEY), `the key is in ${file}`);
  }
});
