// The updater end to end, through the real window of an installed .deb: version N is
// installed, a static server on 127.0.0.1 serves version N+1's signed .deb and a
// latest.json, and the app checks, downloads and installs it from Settings → Updates.
// First the manifest carries a signature of other bytes (N's package): the window says the
// signature does not match, N stays installed and keeps working. Then the right signature:
// N+1 is installed, the app restarts itself, and a new session of the installed binary
// shows N+1 with the conversation made under N still there.
// Run by scripts/e2e-updater.sh, which builds and signs both packages with a throwaway key,
// installs N, provides Xvfb and the keychain, and removes the package at the end.

import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { click, closeApp, root, startDesktop, waitForTexts } from "./harness.mjs";

const shots = join(root, "target/e2e/updater");
const dir = process.env.CONFAB_UPDATER_DIR;
const [OLD, NEW] = [process.env.CONFAB_UPDATER_OLD, process.env.CONFAB_UPDATER_NEW];
const INSTALLED = "/usr/bin/confab";
const deb = (version) => `Confab_${version}_amd64.deb`;
const signature = (version) => readFileSync(join(dir, `${deb(version)}.sig`), "utf8").trim();

let desktop;
let server;
/** The signature latest.json names for NEW's package. */
let served = null;

before(async () => {
  assert.ok(dir && OLD && NEW, "run through scripts/e2e-updater.sh");
  server = createServer((request, response) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (request.url === "/latest.json") {
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          version: NEW,
          notes: `## Confab ${NEW}\n\n- **Signed** updates, tested end to end`,
          pub_date: new Date().toISOString(),
          platforms: {
            "linux-x86_64-deb": { signature: served, url: `${base}/${deb(NEW)}` },
          },
        }),
      );
    } else if (request.url === `/${deb(NEW)}`) {
      response.end(readFileSync(join(dir, deb(NEW))));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  desktop = await startDesktop({
    shots,
    application: INSTALLED,
    env: {
      CONFAB_UPDATE_ENDPOINT: `http://127.0.0.1:${server.address().port}/latest.json`,
    },
  });
});

after(() => {
  // A restarted app is no child of the driver: stopped here by its id whatever happened, or
  // it would hold the output pipe (and the run) open.
  if (desktop) for (const pid of installedApps()) process.kill(pid, "SIGKILL");
  desktop?.stop();
  server?.close();
});

function installedVersion() {
  return execFileSync("dpkg-query", ["-W", "-f=${Version}", "confab"], { encoding: "utf8" });
}

/** The apps running the installed binary on this test's database (Linux: from /proc). */
function installedApps() {
  const db = `CONFAB_DB=${join(desktop.dataDir, "confab.db")}`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return (
          readlinkSync(`/proc/${pid}/exe`).startsWith(INSTALLED) &&
          readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(db)
        );
      } catch {
        return false; // Gone, or not ours.
      }
    })
    .map(Number);
}

async function openUpdates(browser) {
  await click(browser, '[data-testid="open-settings"]');
  await (await browser.$('[data-testid="updates-settings"]')).scrollIntoView();
}

async function checkAndInstall(browser) {
  await click(browser, '[data-testid="update-check"]');
  await waitForTexts(
    browser,
    '[data-testid="update-status"]',
    (texts) => texts[0]?.includes(`Confab ${NEW} is available`),
    "the update was not found",
  );
  const [notes] = await waitForTexts(
    browser,
    '[data-testid="update-notes"] strong',
    (texts) => texts.includes("Signed"),
    "the release notes are not shown",
  );
  assert.equal(notes, "Signed", "the release notes are rendered as Markdown");
  await click(browser, '[data-testid="update-install"]');
}

test("an update whose signature does not match is refused; the running version stays", async () => {
  served = signature(OLD); // a real signature, of other bytes
  const browser = await desktop.openApp();
  try {
    const newChat = await browser.$('[data-testid="new-chat"]');
    await newChat.waitForClickable({ timeout: 30_000 });
    await newChat.click();
    const input = await browser.$('[data-testid="message-input"]');
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.setValue("What is Confab?");
    await click(browser, '[data-testid="send-button"]');
    const reply = await browser.$('[data-testid="message"][data-role="assistant"]');
    await reply.waitForExist({ timeout: 30_000, timeoutMsg: "the reply did not finish" });

    await openUpdates(browser);
    await waitForTexts(
      browser,
      '[data-testid="update-version"]',
      (texts) => texts[0] === `Confab ${OLD}`,
      "the running version is not shown",
    );
    await checkAndInstall(browser);
    await waitForTexts(
      browser,
      '[data-testid="update-error"]',
      (texts) =>
        texts[0]?.includes(
          `The update's signature does not match; it was not installed. Confab ${OLD} keeps running.`,
        ),
      "the bad signature was not refused with its message",
    );
    await browser.saveScreenshot(join(shots, "1-bad-signature.png"));
    assert.equal(installedVersion(), OLD, "nothing was installed");
    // The app keeps working: it answers a new check.
    served = signature(NEW);
    await click(browser, '[data-testid="update-check"]');
    await waitForTexts(
      browser,
      '[data-testid="update-status"]',
      (texts) => texts[0]?.includes(`Confab ${NEW} is available`),
      "the app did not answer after the refusal",
    );
  } finally {
    await closeApp(browser);
  }
});

test("a signed update installs, restarts as N+1, and the database is intact", async () => {
  served = signature(NEW);
  let browser = await desktop.openApp();
  const before = Number(desktop.appPid());
  try {
    await waitForTexts(
      browser,
      '[data-testid="conversation-item"]',
      (texts) => texts.length === 1,
      "the conversation made under N is not listed",
    );
    await openUpdates(browser);
    await checkAndInstall(browser);
    await waitForTexts(
      browser,
      '[data-testid="update-installed"]',
      (texts) => texts[0]?.includes(`Confab ${NEW} is installed`),
      "the update was not installed",
    );
    await browser.saveScreenshot(join(shots, "2-installed.png"));
    assert.equal(installedVersion(), NEW);
    // One click, not retried: the app quits while WebDriver is still answering it.
    const restart = await browser.$('[data-testid="update-restart"]');
    await restart.waitForClickable({ timeout: 10_000 });
    await restart.click().catch(() => {});

    // The app restarts itself: the old process leaves, the installed N+1 starts (outside
    // the WebDriver session, which ends with the old process).
    let restarted = [];
    const deadline = Date.now() + 30_000;
    while (!(restarted = installedApps().filter((pid) => pid !== before)).length) {
      if (Date.now() > deadline) throw new Error("the app did not start again after the update");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // It is ours to stop, by its id; the next session starts the installed binary afresh.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const pid of restarted) process.kill(pid, "SIGTERM");
    const gone = Date.now() + 15_000;
    while (installedApps().length && Date.now() < gone) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(installedApps(), [], "the restarted app did not quit");
  } finally {
    await closeApp(browser);
  }

  browser = await desktop.openApp();
  try {
    await openUpdates(browser);
    await waitForTexts(
      browser,
      '[data-testid="update-version"]',
      (texts) => texts[0] === `Confab ${NEW}`,
      "the app did not come back as N+1",
    );
    await click(browser, '[data-testid="update-check"]');
    await waitForTexts(
      browser,
      '[data-testid="update-status"]',
      (texts) => texts[0]?.includes(`Confab ${NEW} is the newest version`),
      "N+1 still sees an update",
    );
    await browser.saveScreenshot(join(shots, "3-after-restart.png"));
    await browser.keys(Key.Escape);
    await waitForTexts(
      browser,
      '[data-testid="conversation-item"]',
      (texts) => texts.length === 1,
      "the conversation is gone after the update",
    );
  } finally {
    await closeApp(browser);
  }
});
