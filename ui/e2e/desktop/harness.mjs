// What the desktop end-to-end runs share: aimock (a real OpenAI-compatible server) on
// 127.0.0.1, tauri-driver in front of WebKitWebDriver, and the app (debug build, UI
// embedded) on a fresh database in a temporary folder. The caller provides Xvfb and the
// keychain (scripts/e2e-desktop.sh).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../..");
const app = join(root, "target/debug", process.platform === "win32" ? "confab.exe" : "confab");
export const API_KEY = "sk-e2e-test-key-0042";

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

async function waitForPort(port, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const open = await new Promise((ok) => {
      const socket = connect(port, "127.0.0.1");
      socket.on("connect", () => socket.end(() => ok(true)));
      socket.on("error", () => ok(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts aimock (on `fixtures`, a file beside this one) and tauri-driver. `env` is passed to
 * the app (e.g. `LANG`); `shots` is the folder for screenshots. Returns `openApp` (a new WebDriver session: the app starts on the
 * same database each time), the aimock URL and `stop`.
 */
export async function startDesktop({ shots, env = {}, fixtures = "fixtures.json" }) {
  const children = [];
  const start = (command, args, childEnv) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...childEnv },
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.push(child);
  };
  mkdirSync(shots, { recursive: true });

  const aimockPort = await freePort();
  start(
    "node",
    [
      join(root, "node_modules/@copilotkit/aimock/dist/cli.js"),
      "--host",
      "127.0.0.1",
      "--port",
      String(aimockPort),
      "--log-level",
      "warn",
      "--fixtures",
      join(here, fixtures),
    ],
    // aimock answers 401 to any other key: a reply proves the key went keychain → request.
    { AIMOCK_API_KEYS: API_KEY },
  );
  await waitForPort(aimockPort, "aimock");
  const aimockUrl = `http://127.0.0.1:${aimockPort}`;

  const data = mkdtempSync(join(tmpdir(), "confab-e2e-"));
  const driverPort = await freePort();
  // tauri-driver starts the app through WebKitWebDriver, which passes this environment on.
  start("tauri-driver", ["--port", String(driverPort), "--native-port", String(await freePort())], {
    CONFAB_DB: join(data, "confab.db"),
    CONFAB_BASE_URL: `${aimockUrl}/v1`,
    CONFAB_MODEL: "gpt-4o-mini",
    CONFAB_API_KEY: API_KEY,
    RUST_BACKTRACE: "0",
    ...env,
  });
  await waitForPort(driverPort, "tauri-driver");

  /** `size`: the window size to set, or `null` to keep the one the app opened with. */
  async function openApp({ size = [1280, 800] } = {}) {
    const browser = await remote({
      hostname: "127.0.0.1",
      port: driverPort,
      logLevel: "warn",
      capabilities: {
        browserName: "wry",
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: app },
      },
    });
    if (size) await browser.setWindowSize(size[0], size[1]).catch(() => {});
    return browser;
  }

  const stop = () => {
    for (const child of children.reverse()) child.kill();
  };
  /** The requests aimock received (its journal is behind the same key). */
  async function journal() {
    const response = await fetch(`${aimockUrl}/__aimock/journal`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
    });
    if (!response.ok) throw new Error(`aimock journal: HTTP ${response.status}`);
    return response.json();
  }

  return { openApp, aimockUrl, journal, dataDir: data, stop };
}

/**
 * The text of every element matching `selector`, read inside the page and carried
 * percent-encoded. WebKitWebDriver 2.50 has crashed (SIGSEGV) on element commands issued
 * while React replaces the nodes they point at, and its visible-text command hangs on
 * emoji; one script that returns plain ASCII touches no element handle at all.
 */
export async function textsOf(browser, selector) {
  const encoded = await browser.execute(
    (css) =>
      encodeURIComponent(
        JSON.stringify(
          [...globalThis.document.querySelectorAll(css)].map((node) => node.textContent),
        ),
      ),
    selector,
  );
  return JSON.parse(decodeURIComponent(encoded));
}

/** Waits until `check(texts)` holds for the texts of `selector`'s elements; returns them. */
export async function waitForTexts(browser, selector, check, what) {
  let texts = [];
  await browser
    .waitUntil(async () => check((texts = await textsOf(browser, selector))), {
      timeout: 20_000,
      timeoutMsg: what,
    })
    .catch((error) => {
      throw new Error(`${error.message}; ${selector} holds ${JSON.stringify(texts)}`);
    });
  return texts;
}

/** Clicks the first of `selector`'s elements whose text includes `text`. */
export async function clickWithText(browser, selector, text) {
  const texts = await waitForTexts(
    browser,
    selector,
    (all) => all.some((t) => t.includes(text)),
    `no ${selector} with "${text}"`,
  );
  const elements = await browser.$$(selector);
  await elements[texts.findIndex((t) => t.includes(text))].click();
}

export async function typeInto(browser, selector, text) {
  const field = await browser.$(selector);
  await field.waitForDisplayed({ timeout: 5_000 });
  await field.setValue(text);
}

/**
 * Clicks `selector`, found afresh on each of up to three tries. WebKitWebDriver 2.50 now and
 * then fails a click on a node React has just replaced ("unknown error", "Could not parse
 * element file upload information"); the node found again a moment later takes the click.
 */
export async function click(browser, selector) {
  for (let attempt = 1; ; attempt++) {
    try {
      const element = await browser.$(selector);
      await element.waitForClickable({ timeout: 10_000 });
      await element.click();
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      console.warn(`click on ${selector} failed (${error.message}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/** Ends the WebDriver session without waiting forever on a driver that has gone. */
export async function closeApp(browser) {
  await Promise.race([
    browser.deleteSession().catch(() => {}),
    new Promise((resolve) => setTimeout(resolve, 10_000)),
  ]);
}
