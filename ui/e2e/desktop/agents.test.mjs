// The desktop end-to-end test of agents: build one in the editor (a prompt, a greeting, two
// suggested questions), try it before saving (nothing is stored), save it, start a
// conversation from it, and ask by clicking a suggestion. aimock's journal shows what was
// sent: the prompt and the question, never the greeting.
// Run by scripts/e2e-desktop.sh, which provides Xvfb and the keychain.

import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
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

const shots = join(root, "target/e2e");
const PROMPT = "You talk like a pirate.";
const GREETING = "Ahoy! Ask me about the treasure.";
const QUESTIONS = ["Who are you?", "Where is the treasure?"];
const ANSWER_START = "Arr, the treasure lies under the old oak";

let desktop;

before(async () => {
  desktop = await startDesktop({ shots, fixtures: "agents-fixtures.json" });
});

after(() => desktop?.stop());

/** The chat requests aimock received (the title request is told apart by its prompt). */
async function chatRequests() {
  const journal = await desktop.journal();
  return journal
    .map((entry) => entry.body)
    .filter((body) => Array.isArray(body?.messages))
    .filter((body) => !JSON.stringify(body.messages).includes("Write a title"));
}

test("an agent built in the editor greets, suggests, and sends only its prompt and the question", async () => {
  const browser = await desktop.openApp();
  try {
    const newAgent = await browser.$('[data-testid="agent-new-sidebar"]');
    await newAgent.waitForClickable({ timeout: 30_000 });
    await newAgent.click();

    // Identity, an avatar from the grid, the prompt, a greeting and two questions.
    await typeInto(browser, '[data-testid="agent-name"]', "Pirate");
    await typeInto(browser, '[data-testid="agent-slug"]', "pirate");
    await click(browser, '[data-testid="emoji-toggle"]');
    await clickWithText(browser, '[data-testid="emoji-option"]', "🦉");
    await click(browser, '[data-testid="preset-message-add"]');
    await typeInto(browser, '[data-testid="preset-message-content"]', PROMPT);
    await click(browser, '[data-testid="agent-greetings-add"]');
    await typeInto(browser, '[data-testid="agent-greetings-row"] textarea', GREETING);
    for (const [i, question] of QUESTIONS.entries()) {
      await click(browser, '[data-testid="agent-suggestedQuestions-add"]');
      const rows = await browser.$$('[data-testid="agent-suggestedQuestions-row"] input');
      await rows[i].setValue(question);
    }

    // Try it before saving: the draft answers, and nothing is written.
    await click(browser, '[data-testid="agent-mode-try"] + span');
    await waitForTexts(
      browser,
      '[data-testid="try-greeting"]',
      (texts) => texts.length === 1 && texts[0].includes(GREETING),
      "the try-out shows no greeting",
    );
    await clickWithText(browser, '[data-testid="try-suggested"]', QUESTIONS[0]);
    await waitForTexts(
      browser,
      '[data-testid="try-message"]',
      (turns) => turns.length === 2 && turns[1].includes("seven seas"),
      "the try-out did not answer",
    );
    await browser.saveScreenshot(join(shots, "agents-1-try.png"));
    const [trial] = await chatRequests();
    assert.deepEqual(trial.messages, [
      { role: "system", content: PROMPT },
      { role: "user", content: QUESTIONS[0] },
    ]);
    assert.equal(
      (await browser.$$('[data-testid="conversation-item"]')).length,
      0,
      "a try-out starts no conversation",
    );

    // Save; the agent joins the sidebar.
    await click(browser, '[data-testid="agent-save"]');
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="agent-item"]')).length === 2,
      {
        timeout: 10_000,
        timeoutMsg: "the saved agent is not in the sidebar",
      },
    );
    await browser.saveScreenshot(join(shots, "agents-2-saved.png"));
    await browser.keys(Key.Escape);

    // A conversation from it: the greeting and both suggestions, nothing sent yet.
    await clickWithText(browser, '[data-testid="agent-item"] .agent-item__main', "Pirate");
    await waitForTexts(
      browser,
      '[data-testid="greeting"]',
      (texts) => texts.length === 1 && texts[0].includes(GREETING),
      "no greeting",
    );
    await waitForTexts(
      browser,
      '[data-testid="suggested-question"]',
      (texts) => JSON.stringify(texts) === JSON.stringify(QUESTIONS),
      "the suggested questions are not shown",
    );
    const [badge] = await textsOf(browser, '[data-testid="chat-agent"]');
    assert.ok(badge?.includes("Pirate"), "the header names the agent");
    await browser.saveScreenshot(join(shots, "agents-3-welcome.png"));
    assert.equal((await chatRequests()).length, 1, "opening the conversation sent nothing");

    // Click the second suggestion: it is sent, and the answer streams in.
    await clickWithText(browser, '[data-testid="suggested-question"]', QUESTIONS[1]);
    await waitForTexts(
      browser,
      '[data-testid="streaming-message"]',
      (texts) => texts.length === 1 && texts[0].length > 5,
      "no streaming text appeared",
    );
    await browser.saveScreenshot(join(shots, "agents-4-streaming.png"));
    const [body] = await waitForTexts(
      browser,
      '[data-testid="message"][data-role="assistant"][data-state="complete"] .message__body',
      (texts) => texts.length === 1,
      "the reply did not finish",
    );
    assert.ok(body.startsWith(ANSWER_START), body);
    const [kept] = await textsOf(browser, '[data-testid="transcript"] [data-testid="greeting"]');
    assert.ok(kept?.includes(GREETING), "the greeting still opens the conversation");
    await browser.saveScreenshot(join(shots, "agents-5-reply.png"));

    // What went out: the agent's prompt and the question. The greeting never did.
    const requests = await chatRequests();
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[1].messages, [
      { role: "system", content: PROMPT },
      { role: "user", content: QUESTIONS[1] },
    ]);
    for (const request of requests) {
      assert.ok(!JSON.stringify(request).includes("Ahoy"), "a greeting was sent");
    }
  } finally {
    await closeApp(browser);
  }
});
