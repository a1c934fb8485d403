// Links in replies, in the real window: a model-written link never loads a page inside the
// app (clicked, set as `location`, opened with `window.open` or a blank-target link), web
// links go to the system's browser, and a right-click shows Confab's own menu instead of
// WebKit's. The system browser is a recorder: a desktop file registered as the handler of
// http(s) links in a private XDG folder, so xdg-open hands the link to it and nothing
// fetches the page. Run by scripts/e2e-desktop.sh, which provides Xvfb and the keychain.

import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { closeApp, root, startDesktop, textsOf } from "./harness.mjs";

const shots = join(root, "target/e2e");
const CODE = 'console.log("copied code");';

let desktop;
let page;
let pageHits = 0;
let opened;

/** A tiny web page on 127.0.0.1 that counts who asked for it: the window never may. */
function startPage() {
  return new Promise((ok) => {
    const server = createServer((request, response) => {
      pageHits += 1;
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!doctype html><title>outside</title><h1 id=outside>Not Confab</h1>");
    });
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

/** Registers a recorder as the desktop's web and mail handler; returns the env for the app. */
function recordingBrowser(folder) {
  const log = join(folder, "opened.txt");
  const recorder = join(folder, "browser.cjs");
  writeFileSync(
    recorder,
    `#!/usr/bin/env node\nrequire("node:fs").appendFileSync(${JSON.stringify(log)}, process.argv[2] + "\\n");\n`,
  );
  chmodSync(recorder, 0o755);
  const config = join(folder, "config");
  const applications = join(folder, "data/applications");
  mkdirSync(config, { recursive: true });
  mkdirSync(applications, { recursive: true });
  writeFileSync(
    join(applications, "confab-e2e-browser.desktop"),
    `[Desktop Entry]\nType=Application\nName=Recorder\nExec=${recorder} %u\n`,
  );
  const schemes = ["http", "https", "mailto"];
  writeFileSync(
    join(config, "mimeapps.list"),
    `[Default Applications]\n${schemes.map((s) => `x-scheme-handler/${s}=confab-e2e-browser.desktop`).join("\n")}\n`,
  );
  return {
    log,
    env: { XDG_CONFIG_HOME: config, XDG_DATA_HOME: join(folder, "data"), BROWSER: recorder },
  };
}

function openedLinks() {
  return existsSync(opened.log) ? readFileSync(opened.log, "utf8").split("\n").filter(Boolean) : [];
}

async function waitOpened(browser, url) {
  await browser
    .waitUntil(async () => openedLinks().includes(url), { timeout: 10_000 })
    .catch(() => assert.fail(`${url} was not handed to the browser; it got ${openedLinks()}`));
}

before(async () => {
  page = await startPage();
  const pageUrl = `http://127.0.0.1:${page.address().port}/page`;
  const folder = mkdtempSync(join(tmpdir(), "confab-nav-"));
  opened = recordingBrowser(folder);
  opened.pageUrl = pageUrl;
  // The reply names the page's port, known only now: the fixtures are written per run.
  const fixtures = join(folder, "fixtures.json");
  writeFileSync(
    fixtures,
    JSON.stringify({
      fixtures: [
        { match: { systemMessage: "Write a title" }, response: { content: "Links" } },
        {
          match: { userMessage: "Show me a link" },
          response: {
            content: `Read [the page](${pageUrl}) first.\n\n\`\`\`js\n${CODE}\n\`\`\`\n`,
          },
        },
      ],
    }),
  );
  desktop = await startDesktop({ shots, fixtures, env: opened.env });
});

after(() => {
  desktop?.stop();
  page?.close();
});

async function askForLink(browser) {
  const newChat = await browser.$('[data-testid="new-chat"]');
  await newChat.waitForClickable({ timeout: 30_000 });
  await newChat.click();
  const input = await browser.$('[data-testid="message-input"]');
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.setValue("Show me a link");
  await (await browser.$('[data-testid="send-button"]')).click();
  const reply = await browser.$('[data-testid="message"][data-role="assistant"] a');
  await reply.waitForExist({ timeout: 20_000, timeoutMsg: "no reply with a link" });
}

/** What the window shows: its address, and whether Confab's own page is still there. */
async function windowState(browser) {
  return browser.execute(() => ({
    href: globalThis.location.href,
    app: globalThis.document.querySelector('[data-testid="new-chat"]') !== null,
  }));
}

test("a model-written link never loads in the window; web links go to the browser", async () => {
  const browser = await desktop.openApp();
  try {
    await askForLink(browser);
    const home = await windowState(browser);
    assert.ok(home.app, "the app is shown");
    if (process.platform === "linux") assert.match(home.href, /^tauri:\/\/localhost(\/|$)/);
    const { pageUrl } = opened;

    // A click on the link: the UI asks the core's open_url, which hands it to the browser.
    await (await browser.$('[data-testid="message"][data-role="assistant"] a')).click();
    await waitOpened(browser, pageUrl);

    // A script setting `location` cannot load it either: the window's rule refuses it and
    // hands it to the browser.
    const link = '[data-testid="message"][data-role="assistant"] a';
    const goTo = (url) => setTimeout(() => (globalThis.location.href = url), 0);
    await browser.pause(1_100); // At most one hand-off a second.
    await browser.execute(goTo, `${pageUrl}?via=location`);
    await waitOpened(browser, `${pageUrl}?via=location`);
    assert.deepEqual(await windowState(browser), home, "after setting location");

    // Nor can a new window: neither window.open nor a blank-target link a script clicks.
    const opens = {
      open: (url) => globalThis.open(url) === null,
      blank: (url) => {
        const anchor = globalThis.document.createElement("a");
        anchor.href = url;
        anchor.target = "_blank";
        globalThis.document.body.append(anchor);
        anchor.click();
        anchor.remove();
        return true;
      },
    };
    for (const [via, attempt] of Object.entries(opens)) {
      assert.equal(await browser.execute(attempt, `${pageUrl}?via=${via}`), true, via);
      await browser.pause(1_100);
      assert.deepEqual(await windowState(browser), home, `after ${via}`);
    }

    // A middle click on the link asks for a new window: refused, the link goes to the browser.
    if (process.platform === "linux") {
      const before = openedLinks().length;
      await clickWith(browser, link, 2);
      await browser.waitUntil(async () => openedLinks().length > before, {
        timeout: 10_000,
        timeoutMsg: `a middle click handed nothing to the browser: ${openedLinks()}`,
      });
      assert.equal(openedLinks().at(-1), pageUrl);
      assert.deepEqual(await windowState(browser), home, "after a middle click");
    }

    // Other schemes are refused, and not handed anywhere.
    await browser.pause(1_100);
    await browser.execute(goTo, "file:///etc/hostname");
    await browser.pause(1_500);
    assert.deepEqual(await windowState(browser), home, "after a file: link");
    assert.ok(!openedLinks().some((url) => url.startsWith("file:")), String(openedLinks()));

    assert.equal((await browser.getWindowHandles()).length, 1, "no second window");
    assert.equal(pageHits, 0, "nothing inside the app fetched the page");
  } finally {
    await closeApp(browser);
  }
});

/** The app's window on the X display and its origin there (Linux, through xdotool). */
function appWindow() {
  const id = execFileSync("xdotool", ["search", "--onlyvisible", "--pid", desktop.appPid()], {
    encoding: "utf8",
  })
    .trim()
    .split("\n")[0];
  const geometry = execFileSync("xdotool", ["getwindowgeometry", "--shell", id], {
    encoding: "utf8",
  });
  const value = (key) => Number(new RegExp(`${key}=(\\d+)`).exec(geometry)[1]);
  return { id, x: value("X"), y: value("Y") };
}

/**
 * The menus of the webview's own on the display: mapped X windows of a menu type (GTK
 * marks its popup menus so; a link's tooltip is a window too, of another type).
 */
function nativeMenus() {
  const tree = execFileSync("xwininfo", ["-root", "-children"], { encoding: "utf8" });
  const ids = [...tree.matchAll(/^\s+(0x[0-9a-f]+)/gm)].map((m) => m[1]);
  return ids.filter((id) => {
    try {
      const info = execFileSync("xwininfo", ["-id", id], { encoding: "utf8" });
      if (!/Map State: IsViewable/.test(info)) return false;
      const type = execFileSync("xprop", ["-id", id, "_NET_WM_WINDOW_TYPE"], { encoding: "utf8" });
      return /_NET_WM_WINDOW_TYPE_(POPUP_MENU|DROPDOWN_MENU|MENU)\b/.test(type);
    } catch {
      return false; // Gone while the list was read.
    }
  }).length;
}

/** Where `selector`'s element is on the X display (a point inside it, near its start). */
async function onScreen(browser, selector) {
  const rect = await browser.execute((css) => {
    const box = globalThis.document.querySelector(css).getBoundingClientRect();
    return { x: box.left + Math.min(box.width / 2, 20), y: box.top + box.height / 2 };
  }, selector);
  const window = appWindow();
  return [window.x + rect.x, window.y + rect.y].map((n) => String(Math.round(n)));
}

/** A real click of `button` (an X event, as a mouse makes) on `selector`'s element. */
async function clickWith(browser, selector, button) {
  const [x, y] = await onScreen(browser, selector);
  execFileSync("xdotool", ["mousemove", x, y, "click", String(button)]);
}

const rightClick = (browser, selector) => clickWith(browser, selector, 3);

/**
 * Real key presses (X events) in the focused window. After a menu of WebKit's own had been
 * open, WebKitWebDriver's key actions were seen not to reach the page; the keyboard's do.
 */
const press = (...keys) => execFileSync("xdotool", ["key", ...keys]);

async function menuItems(browser) {
  await (
    await browser.$('[data-testid="context-menu"]')
  ).waitForExist({
    timeout: 5_000,
    timeoutMsg: "Confab's menu did not open",
  });
  return browser.execute(() =>
    [...globalThis.document.querySelectorAll('[data-testid="context-menu"] [role="menuitem"]')].map(
      (item) =>
        `${item.textContent}${item.getAttribute("aria-disabled") === "true" ? " (off)" : ""}`,
    ),
  );
}

/** Pastes the clipboard into the empty composer (a real Ctrl+V) and returns what arrived. */
async function pasted(browser) {
  const input = await browser.$('[data-testid="message-input"]');
  await input.click();
  await browser.execute(() => {
    const field = globalThis.document.querySelector('[data-testid="message-input"]');
    field.select();
  });
  press("ctrl+v");
  await browser.pause(300);
  const value = await browser.execute(
    () => globalThis.document.querySelector('[data-testid="message-input"]').value,
  );
  press("ctrl+a", "BackSpace");
  return value;
}

test("a right-click shows Confab's menu, not WebKit's, and its items work", async (t) => {
  if (process.platform !== "linux") return t.skip("right-clicks are made with xdotool");
  const browser = await desktop.openApp();
  try {
    await askForLink(browser);
    const link = '[data-testid="message"][data-role="assistant"] a';

    // The control: in the composer WebKit's own menu (Paste, spelling) is kept, and shows
    // as a window of its own on the display.
    const alone = nativeMenus();
    await rightClick(browser, '[data-testid="message-input"]');
    await browser.waitUntil(async () => nativeMenus() > alone, {
      timeout: 5_000,
      timeoutMsg: "WebKit's menu did not show in the composer: the check below proves nothing",
    });
    press("Escape");
    await browser.waitUntil(async () => nativeMenus() === alone, { timeout: 5_000 });

    // On a link: Confab's menu in the page, and no window of WebKit's.
    await rightClick(browser, link);
    assert.deepEqual(await menuItems(browser), [
      "Copy (off)",
      "Copy link",
      "Open in browser",
      "Copy code (off)",
    ]);
    await browser.pause(500);
    assert.equal(nativeMenus(), alone, "a native menu opened beside Confab's");
    await browser.saveScreenshot(join(shots, "context-menu-light.png"));
    await browser.execute(() => (globalThis.document.documentElement.dataset.theme = "dark"));
    await browser.pause(200);
    await browser.saveScreenshot(join(shots, "context-menu-dark.png"));
    await browser.execute(() => delete globalThis.document.documentElement.dataset.theme);

    // Escape closes it; Copy link puts the link on the clipboard.
    press("Escape");
    await (await browser.$('[data-testid="context-menu"]')).waitForExist({ reverse: true });
    await rightClick(browser, link);
    await menuItems(browser);
    await (await browser.$('[data-testid="context-copyLink"]')).click();
    assert.equal(await pasted(browser), opened.pageUrl);

    // Open in browser goes through open_url.
    await browser.pause(1_100);
    const before = openedLinks().length;
    await rightClick(browser, link);
    await menuItems(browser);
    await (await browser.$('[data-testid="context-openLink"]')).click();
    await browser.waitUntil(async () => openedLinks().length > before, { timeout: 10_000 });
    assert.equal(openedLinks().at(-1), opened.pageUrl);

    // In a code block: Copy code.
    await rightClick(browser, '[data-testid="message"][data-role="assistant"] pre');
    assert.deepEqual(await menuItems(browser), [
      "Copy (off)",
      "Copy link (off)",
      "Open in browser (off)",
      "Copy code",
    ]);
    await (await browser.$('[data-testid="context-copyCode"]')).click();
    assert.equal(await pasted(browser), CODE);

    // A selection: Copy.
    await browser.execute(() => {
      const body = globalThis.document.querySelector(
        '[data-testid="message"][data-role="assistant"] .message__body p',
      );
      const range = globalThis.document.createRange();
      range.selectNodeContents(body);
      globalThis.getSelection().removeAllRanges();
      globalThis.getSelection().addRange(range);
    });
    const selected = (
      await textsOf(browser, '[data-testid="message"][data-role="assistant"] .message__body p')
    )[0];
    await rightClick(browser, '[data-testid="message"][data-role="assistant"] .message__body p');
    assert.equal((await menuItems(browser))[0], "Copy");
    await (await browser.$('[data-testid="context-copy"]')).click();
    assert.equal(await pasted(browser), selected);
    assert.equal(pageHits, 0, "nothing inside the app fetched the page");
  } finally {
    await closeApp(browser);
  }
});
