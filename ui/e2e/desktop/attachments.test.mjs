// Attachments in the real window: an image and a PDF chosen in the system's file dialog
// (GTK's, driven from the keyboard under Xvfb), shown as chips, sent with a question, shown
// in the sent message (the image large on a click, the PDF's text in its preview), answered
// by aimock, and all still there after a restart.
// Run by scripts/e2e-desktop.sh (Xvfb, keychain, aimock on 127.0.0.1).

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  click,
  closeApp,
  pickInFileDialog,
  root,
  startDesktop,
  textsOf,
  waitForTexts,
} from "./harness.mjs";

const shots = join(root, "target/e2e/attachments");
const QUESTION = "What do the chart and the report say?";
const ANSWER = "The chart rises; the report says sales grew.";
const PDF_WORDS = "Quarterly report: sales grew in every region.";

let desktop;
let folder;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), "confab-attach-"));
  writeFileSync(join(folder, "chart.png"), png());
  writeFileSync(join(folder, "report.pdf"), pdf(PDF_WORDS));
  desktop = await startDesktop({ shots, fixtures: "attachments-fixtures.json" });
});

after(() => desktop?.stop());

/** A 320 × 200 PNG: a rising bar chart, drawn by ImageMagick (installed for the tests). */
function png() {
  return execFileSync("convert", [
    "-size",
    "320x200",
    "xc:white",
    "-fill",
    "#3a7bd5",
    "-draw",
    "rectangle 30,150 80,190",
    "-draw",
    "rectangle 120,100 170,190",
    "-draw",
    "rectangle 210,40 260,190",
    "png:-",
  ]);
}

/** A one-page PDF whose text layer holds `text` (written by hand: PDF is plain text). */
function pdf(text) {
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " +
      "/Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Attaches the file at `path` through the paperclip and the system's file dialog. */
async function attachWithPicker(browser, path, count) {
  await click(browser, '[data-testid="attach-button"]');
  await pickInFileDialog(path);
  await waitForTexts(
    browser,
    '[data-testid="attachment"]',
    (chips) => chips.length === count && !chips.some((chip) => chip === ""),
    `${count} attachment chips`,
  );
}

/** Waits until the last message is a stored reply holding `text`. */
async function replyDone(browser, text) {
  await browser.waitUntil(
    async () => {
      if (await (await browser.$('[data-testid="streaming-message"]')).isExisting()) return false;
      const bodies = await textsOf(browser, '[data-testid="message"] .message__body');
      return bodies.at(-1)?.includes(text) ?? false;
    },
    { timeout: 20_000, timeoutMsg: `no reply "${text}"` },
  );
}

/** The sent message's attachments: images shown, and each file chip's text. */
async function sentAttachments(browser) {
  return browser.execute(() => {
    const message = globalThis.document.querySelector('[data-testid="message"][data-role="user"]');
    const images = [...message.querySelectorAll('[data-testid="message-image"] img')];
    return {
      images: images.map((image) => ({
        loaded: image.complete && image.naturalWidth > 0,
        src: image.getAttribute("src")?.slice(0, 22),
      })),
      files: [...message.querySelectorAll('[data-testid="attachment"]')].map((c) => c.textContent),
    };
  });
}

/** The request aimock received: the question, the PDF's text by name, the image inline. */
async function checkRequest() {
  // The reply's request (the title's asks about the question too, in words).
  const asked = (await desktop.journal())
    .map((entry) => entry.body)
    .filter((body) => Array.isArray(body?.messages) && JSON.stringify(body).includes(QUESTION))
    .filter((body) => !JSON.stringify(body.messages[0]).includes("Write a title"));
  assert.equal(asked.length, 1, "one reply answered the question");
  const content = asked[0].messages.at(-1).content;
  assert.ok(Array.isArray(content), `an array content: ${JSON.stringify(content).slice(0, 200)}`);
  const texts = content.filter((part) => part.type === "text").map((part) => part.text);
  assert.ok(texts.includes(QUESTION), "the question as a text part");
  assert.ok(
    texts.some((text) => text.includes('name="report.pdf"') && text.includes(PDF_WORDS)),
    "the PDF's text as a text part with its name",
  );
  const images = content.filter((part) => part.type === "image_url");
  assert.equal(images.length, 1, "one image part");
  // An opaque image is stored (and sent) as a JPEG, its metadata gone.
  assert.match(images[0].image_url.url, /^data:image\/jpeg;base64,\/9j\//);
}

/** Checks the sent message (image shown, PDF chip, both open) and saves `shot`. */
async function checkSent(browser, shot) {
  let sent = { images: [], files: [] };
  await browser
    .waitUntil(
      async () => {
        sent = await sentAttachments(browser);
        return sent.images.length === 1 && sent.images[0].loaded && sent.files.length === 1;
      },
      { timeout: 15_000 },
    )
    .catch(() => assert.fail(`the sent message's attachments: ${JSON.stringify(sent)}`));
  assert.equal(sent.images[0].src, "data:image/jpeg;base64");
  assert.match(sent.files[0], /report\.pdf/);
  assert.match(sent.files[0], /1 page/);
  await browser.saveScreenshot(join(shots, `${shot}-sent.png`));

  // The image, large; Escape closes it.
  await click(browser, '[data-testid="message-image"]');
  const viewer = await browser.$('[data-testid="image-viewer"]');
  await viewer.waitForDisplayed({ timeout: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 400));
  await browser.saveScreenshot(join(shots, `${shot}-image.png`));
  await browser.keys("Escape");
  await viewer.waitForExist({ reverse: true, timeout: 5_000 });

  // The PDF's text, read out of it.
  await click(browser, '[data-testid="message"] [data-testid="attachment"] button');
  await waitForTexts(
    browser,
    '[data-testid="file-preview-text"]',
    (texts) => texts.some((text) => text.includes(PDF_WORDS)),
    "the PDF's text in its preview",
  );
  await new Promise((resolve) => setTimeout(resolve, 400)); // the dialog fades in
  await browser.saveScreenshot(join(shots, `${shot}-preview.png`));
  await browser.keys("Escape");
}

// The system's file dialog is driven with xdotool under Xvfb: Linux only.
const noDialogDriver = process.platform !== "linux" && "the file dialog is driven on Linux only";

test(
  "attach an image and a PDF with the file picker, send, restart: all still there",
  { skip: noDialogDriver },
  async () => {
    let browser = await desktop.openApp();
    try {
      const newChat = await browser.$('[data-testid="new-chat"]');
      await newChat.waitForClickable({ timeout: 30_000 });
      await newChat.click();
      await attachWithPicker(browser, join(folder, "chart.png"), 1);
      await attachWithPicker(browser, join(folder, "report.pdf"), 2);
      const chips = await textsOf(browser, '[data-testid="attachment"]');
      assert.match(chips[0], /chart\.png/);
      assert.match(chips[1], /report\.pdf/);
      await browser.saveScreenshot(join(shots, "1-composer.png"));

      const input = await browser.$('[data-testid="message-input"]');
      await input.setValue(QUESTION);
      await click(browser, '[data-testid="send-button"]');
      await replyDone(browser, ANSWER);
      await checkRequest();
      await checkSent(browser, "2");
    } finally {
      await closeApp(browser);
    }

    browser = await desktop.openApp();
    try {
      const item = await browser.$('[data-testid="conversation-item"]');
      await item.waitForExist({ timeout: 30_000, timeoutMsg: "the conversation is not listed" });
      await item.click();
      await replyDone(browser, ANSWER);
      await checkSent(browser, "3-restarted");
    } finally {
      await closeApp(browser);
    }
  },
);
