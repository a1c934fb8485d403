// Tools in the real window: the reference MCP server (`server-everything`, over stdio) is
// added by pasting the JSON other apps use, an agent is given it, the model (aimock) asks
// for its `echo` tool, the call is allowed in its card, and the step and the answer are
// shown; after a restart the step is still there.
// Run by scripts/e2e-desktop.sh (Xvfb, keychain, aimock on 127.0.0.1).

import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  click,
  clickWithText,
  closeApp,
  root,
  startDesktop,
  textsOf,
  typeInto,
  waitForTexts,
} from "./harness.mjs";

const shots = join(root, "target/e2e/tools");
const SERVER = join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const ANSWER = "The server answered: hello from the window.";

let desktop;

before(async () => {
  desktop = await startDesktop({ shots, fixtures: "tools-fixtures.json" });
});

after(() => desktop?.stop());

test("add a server, give it to an agent, allow its tool in the card, restart: the step stays", async () => {
  let browser = await desktop.openApp();
  try {
    // The server, pasted as Claude Desktop's `mcpServers` JSON.
    const open = await browser.$('[data-testid="open-mcp"]');
    await open.waitForClickable({ timeout: 30_000 });
    await open.click();
    await click(browser, '[data-testid="mcp-import"]');
    const json = JSON.stringify({
      mcpServers: { everything: { command: "node", args: [SERVER, "stdio"] } },
    });
    await typeInto(browser, '[data-testid="mcp-import-text"]', json);
    await click(browser, '[data-testid="mcp-import-run"]');
    await waitForTexts(
      browser,
      '[data-testid="mcp-import-added"]',
      (texts) => texts.some((text) => text.includes("everything")),
      "the imported server",
    );
    await browser.saveScreenshot(join(shots, "1-imported.png"));
    await browser.keys("Escape");
    await browser.keys("Escape");

    // An agent that may use it.
    await click(browser, '[data-testid="agent-new-sidebar"]');
    await typeInto(browser, '[data-testid="agent-name"]', "Echoer");
    await typeInto(browser, '[data-testid="agent-slug"]', "echoer");
    await click(browser, '[data-testid="agent-tools-use"]');
    await browser.saveScreenshot(join(shots, "2-agent-tools.png"));
    await click(browser, '[data-testid="agent-save"]');
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="agent-item"]')).length === 2,
      { timeout: 10_000, timeoutMsg: "the saved agent is not in the sidebar" },
    );
    await browser.keys("Escape");
    await clickWithText(browser, '[data-testid="agent-item"] .agent-item__main', "Echoer");

    const input = await browser.$('[data-testid="message-input"]');
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.setValue("Echo hello");
    await click(browser, '[data-testid="send-button"]');

    // The card names the tool and shows its arguments; allow it.
    const card = await browser.$('[data-testid="tool-approval"]');
    await card.waitForDisplayed({ timeout: 60_000, timeoutMsg: "no approval card" });
    const [cardText] = await textsOf(browser, '[data-testid="tool-approval"]');
    assert.match(cardText, /echo/);
    assert.match(cardText, /hello from the window/);
    await browser.saveScreenshot(join(shots, "3-approval.png"));
    await click(browser, '[data-testid="tool-allow"]');

    await waitForTexts(
      browser,
      '[data-testid="message"][data-role="assistant"][data-state="complete"] .message__body',
      (texts) => texts.some((text) => text.includes(ANSWER)),
      "the answer after the tool",
    );
    const [step] = await textsOf(browser, '[data-testid="tool-step"]');
    assert.match(step, /echo/);
    await click(browser, '[data-testid="tool-step-toggle"]');
    await waitForTexts(
      browser,
      '[data-testid="tool-step-details"]',
      (texts) => texts.some((text) => text.includes("Echo: hello from the window")),
      "the tool's result",
    );
    await browser.saveScreenshot(join(shots, "4-answered.png"));
  } finally {
    await closeApp(browser);
  }

  // After a restart the step and the answer are stored.
  browser = await desktop.openApp();
  try {
    const item = await browser.$('[data-testid="conversation-item"]');
    await item.waitForExist({ timeout: 30_000, timeoutMsg: "the conversation is not listed" });
    await item.click();
    await waitForTexts(
      browser,
      '[data-testid="tool-step"]',
      (texts) => texts.some((text) => text.includes("echo")),
      "the stored step",
    );
    const bodies = await textsOf(browser, '[data-testid="message"] .message__body');
    assert.ok(
      bodies.some((text) => text.includes(ANSWER)),
      JSON.stringify(bodies),
    );
    await browser.saveScreenshot(join(shots, "5-restarted.png"));
  } finally {
    await closeApp(browser);
  }
});
