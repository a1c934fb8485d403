// Knowledge bases in the real window: a knowledge base is made with the built-in provider
// (aimock) as its embeddings, a folder of documents is chosen in the system's folder chooser and indexed,
// the base is attached to a conversation, a question is answered with a cited source, and
// the source is opened (the system's opener, here a stand-in `xdg-open` that writes down
// what it was asked to open: Xvfb has no desktop to open a file in).
// Run by scripts/e2e-desktop.sh (Xvfb, keychain, aimock on 127.0.0.1).

import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  click,
  closeApp,
  pickInFileDialog,
  root,
  startDesktop,
  textsOf,
  typeInto,
  waitForTexts,
} from "./harness.mjs";

const shots = join(root, "target/e2e/knowledge");
const DIMS = 1536;

/** A unit vector: the passage and the question share it, so only meaning links them. */
function axis(i) {
  const vector = new Array(DIMS).fill(0);
  vector[i] = 1;
  return vector;
}

let desktop;
let docs;
let opened;

before(async () => {
  mkdirSync(shots, { recursive: true });
  const fixtures = join(shots, "fixtures.json");
  writeFileSync(
    fixtures,
    JSON.stringify({
      fixtures: [
        { match: { systemMessage: "Write a title" }, response: { content: "Aurora" } },
        { match: { inputText: "aurora" }, response: { embedding: axis(0) } },
        { match: { inputText: "northern lights" }, response: { embedding: axis(0) } },
        {
          match: { userMessage: "northern lights" },
          response: { content: "The codeword is NIGHTINGALE [1]." },
        },
      ],
    }),
  );
  docs = mkdtempSync(join(tmpdir(), "confab-kb-"));
  writeFileSync(join(docs, "aurora.md"), "# Night sky\n\nThe aurora codeword is NIGHTINGALE.\n");
  writeFileSync(join(docs, "bread.md"), "Knead the dough for ten minutes, then let it rise.\n");
  // The stand-in opener, first on the app's PATH.
  const bin = mkdtempSync(join(tmpdir(), "confab-opener-"));
  opened = join(bin, "opened.txt");
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`);
  chmodSync(join(bin, "xdg-open"), 0o755);
  desktop = await startDesktop({
    shots,
    fixtures,
    env: { PATH: `${bin}:${process.env.PATH}` },
  });
});

after(() => desktop?.stop());

test("make a knowledge base from a folder, watch it index, ask, see the cited source, open it", async () => {
  const browser = await desktop.openApp();
  try {
    const open = await browser.$('[data-testid="open-knowledge"]');
    await open.waitForClickable({ timeout: 30_000 });
    await open.click();
    await click(browser, '[data-testid="kb-add"]');
    await typeInto(browser, '[data-testid="kb-name"]', "Sky notes");
    const provider = await browser.$('[data-testid="kb-provider"]');
    await provider.selectByAttribute("value", "builtin");
    await typeInto(browser, '[data-testid="kb-embeddingModel"]', "text-embedding-3-small");
    await click(browser, '[data-testid="kb-save"]');
    await browser.$('[data-testid="kb-add-folder"]').waitForClickable({ timeout: 10_000 });

    // The folder, through the system's folder chooser (it starts in the documents folder;
    // the folder's path is typed into its location field, as a person may).
    await click(browser, '[data-testid="kb-add-folder"]');
    await pickInFileDialog(docs);
    await waitForTexts(
      browser,
      '[data-testid="kb-source"]',
      (texts) => texts.some((text) => text.includes(basename(docs))),
      "the folder as a source",
    );
    await waitForTexts(
      browser,
      '[data-testid="kb-file"][data-status="indexed"]',
      (texts) => texts.length === 2,
      "both files indexed",
    );
    await browser
      .$('[data-testid="kb-indexing"][data-state="idle"]')
      .waitForExist({ timeout: 30_000 });
    await browser.saveScreenshot(join(shots, "1-indexed.png"));

    // The page's own search finds the passage by meaning.
    await typeInto(
      browser,
      '[data-testid="kb-search-input"]',
      "Which bird guards the northern lights?",
    );
    await browser.keys("Enter");
    await waitForTexts(
      browser,
      '[data-testid="kb-hit"]',
      (texts) => texts.some((text) => text.includes("NIGHTINGALE")),
      "the passage found by meaning",
    );
    await browser.saveScreenshot(join(shots, "2-search.png"));
    await browser.keys("Escape");

    // A conversation that searches it.
    await click(browser, '[data-testid="new-chat"]');
    await click(browser, '[data-testid="knowledge-picker"]');
    await click(browser, '[data-testid="knowledge-picker-use"]');
    await waitForTexts(
      browser,
      '[data-testid="knowledge-picker"]',
      (texts) => texts.some((text) => /1/.test(text)),
      "the picker counting the base",
    );
    await browser.keys("Escape");
    const input = await browser.$('[data-testid="message-input"]');
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.setValue("Which bird guards the northern lights?");
    await click(browser, '[data-testid="send-button"]');

    await waitForTexts(
      browser,
      '[data-testid="message"][data-role="assistant"][data-state="complete"] .message__body',
      (texts) => texts.some((text) => text.includes("NIGHTINGALE")),
      "the cited answer",
    );
    const [source] = await textsOf(browser, '[data-testid="reply-source"]');
    assert.match(source, /aurora\.md/);
    await click(browser, '[data-testid="cite-ref"]');
    await browser.saveScreenshot(join(shots, "3-cited.png"));

    await click(browser, '[data-testid="reply-source-open"]');
    await browser.waitUntil(() => existsSync(opened), {
      timeout: 10_000,
      timeoutMsg: "the system's opener was not asked to open the file",
    });
    assert.match(readFileSync(opened, "utf8"), /aurora\.md/);
  } finally {
    await closeApp(browser);
  }
});
