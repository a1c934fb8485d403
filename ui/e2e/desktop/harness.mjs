// What the desktop end-to-end runs share: aimock (a real OpenAI-compatible server) on
// 127.0.0.1, tauri-driver in front of WebKitWebDriver, and the app (debug build, UI
// embedded) on a fresh database in a temporary folder. The caller provides Xvfb and the
// keychain (scripts/e2e-desktop.sh).

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
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

/** The bus name the single-instance plugin holds while the app runs (Linux). */
const SINGLE_INSTANCE_NAME = `${
  JSON.parse(readFileSync(join(root, "src-tauri/tauri.conf.json"), "utf8")).identifier
}.SingleInstance`;

function singleInstanceTaken() {
  try {
    const answer = execFileSync(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner",
        `string:${SINGLE_INSTANCE_NAME}`,
      ],
      { encoding: "utf8" },
    );
    return /boolean true/.test(answer);
  } catch {
    return false; // No session bus: the app then starts without the lock as well.
  }
}

/** Whether process `pid` runs the app at `application` (Linux: read from /proc). */
function isApp(pid, application = app) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === application;
  } catch {
    return false; // Gone, or not ours to read.
  }
}

/** The processes started, directly or not, by `pid` (Linux: read from /proc). */
function descendantsOf(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while the list was read.
    }
  }
  const found = [];
  let generation = [pid];
  while (generation.length > 0) {
    generation = [...parents].filter(([, ppid]) => generation.includes(ppid)).map(([p]) => p);
    found.push(...generation);
  }
  return found;
}

/**
 * Kills `child` and everything it started. tauri-driver leaves WebKitWebDriver and the app
 * running when it is stopped; a WebKitWebDriver that hangs would then keep the test (and
 * the output pipe it inherited) open for ever.
 */
function killTree(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === "linux") {
    for (const pid of descendantsOf(child.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  child.kill("SIGKILL");
}

/**
 * Moves and sizes the app's window, then waits until the window reports that rect. On Linux
 * this is an X11 request through xdotool, as a window manager would make it: WebKitWebDriver
 * 2.50 has hung for good on "set window rect" under Xvfb. Elsewhere it is the WebDriver call.
 */
async function placeWindow(browser, rect, appPid) {
  if (process.platform === "linux") {
    const window = execFileSync("xdotool", ["search", "--onlyvisible", "--pid", appPid()], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")[0];
    const [x, y, width, height] = [rect.x, rect.y, rect.width, rect.height].map(String);
    execFileSync("xdotool", ["windowsize", window, width, height, "windowmove", window, x, y]);
  } else {
    await browser.setWindowRect(rect.x, rect.y, rect.width, rect.height);
  }
  let now = {};
  await browser
    .waitUntil(
      async () => {
        now = await browser.getWindowRect();
        return ["x", "y", "width", "height"].every((key) => Math.abs(now[key] - rect[key]) <= 2);
      },
      { timeout: 5_000 },
    )
    .catch(() => {
      throw new Error(`the window is at ${JSON.stringify(now)}, not ${JSON.stringify(rect)}`);
    });
}

/**
 * Starts aimock (on `fixtures`, a file beside this one or an absolute path) and tauri-driver. `env` is passed to
 * the app (e.g. `LANG`); `shots` is the folder for screenshots; `application` is the binary
 * to run (the debug build by default, an installed package's for the updater test). Returns `openApp` (a new WebDriver session: the app starts on the
 * same database each time), the aimock URL and `stop`.
 */
export async function startDesktop({
  shots,
  env = {},
  fixtures = "fixtures.json",
  application = app,
}) {
  const children = [];
  const start = (command, args, childEnv) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...childEnv },
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.push(child);
    return child;
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
      resolve(here, fixtures),
    ],
    // aimock answers 401 to any other key: a reply proves the key went keychain → request.
    { AIMOCK_API_KEYS: API_KEY },
  );
  await waitForPort(aimockPort, "aimock");
  const aimockUrl = `http://127.0.0.1:${aimockPort}`;

  const data = mkdtempSync(join(tmpdir(), "confab-e2e-"));
  const driverPort = await freePort();
  // tauri-driver starts the app through WebKitWebDriver, which passes this environment on.
  const driver = start(
    "tauri-driver",
    ["--port", String(driverPort), "--native-port", String(await freePort())],
    {
      CONFAB_DB: join(data, "confab.db"),
      CONFAB_BASE_URL: `${aimockUrl}/v1`,
      CONFAB_MODEL: "gpt-4o-mini",
      CONFAB_API_KEY: API_KEY,
      RUST_BACKTRACE: "0",
      ...env,
    },
  );
  await waitForPort(driverPort, "tauri-driver");

  /** The pid of the app the current session runs (Linux): the newest one under the driver. */
  function appPid() {
    const pids = descendantsOf(driver.pid).filter((pid) => isApp(pid, application));
    if (pids.length === 0) throw new Error("the app is not running");
    return String(Math.max(...pids));
  }

  /**
   * Waits (Linux, up to 15 s) until the app of the last session has let go of its
   * single-instance name on the session bus. A new app that starts while the old one still
   * holds it hands over to the leaving app and exits, and the new session never starts;
   * the name can outlive the process by a moment, so the bus is asked, not /proc.
   */
  async function previousAppGone() {
    if (process.platform !== "linux") return;
    const deadline = Date.now() + 15_000;
    while (singleInstanceTaken() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** `size`: the window size to set, or `null` to keep the one the app opened with. */
  async function openApp({ size = [1280, 800] } = {}) {
    await previousAppGone();
    const browser = await remote({
      hostname: "127.0.0.1",
      port: driverPort,
      logLevel: "warn",
      capabilities: {
        browserName: "wry",
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application },
      },
    });
    if (size) {
      const { x, y } = await browser.getWindowRect();
      await placeWindow(browser, { x, y, width: size[0], height: size[1] }, appPid);
    }
    return browser;
  }

  const stop = () => {
    for (const child of children.reverse()) killTree(child);
  };
  // Also when the run ends some other way (an uncaught error, a timeout of the runner).
  process.once("exit", stop);
  /** The requests aimock received (its journal is behind the same key). */
  async function journal() {
    const response = await fetch(`${aimockUrl}/__aimock/journal`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
    });
    if (!response.ok) throw new Error(`aimock journal: HTTP ${response.status}`);
    return response.json();
  }

  return {
    openApp,
    aimockUrl,
    journal,
    dataDir: data,
    stop,
    /** The pid of the app the current session runs (Linux). */
    appPid,
    /** Moves and sizes the window of `browser`'s app to `rect` ({ x, y, width, height }). */
    placeWindow: (browser, rect) => placeWindow(browser, rect, appPid),
  };
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

/** The X windows shown, as [id, title] (Linux, under Xvfb). */
function shownWindows() {
  let ids = "";
  try {
    ids = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "."], { encoding: "utf8" });
  } catch {
    return []; // xdotool exits 1 when nothing matches.
  }
  return ids
    .split("\n")
    .filter(Boolean)
    .map((id) => {
      try {
        return [id, execFileSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).trim()];
      } catch {
        return [id, ""]; // Gone meanwhile.
      }
    });
}

/**
 * Chooses `path` in the system's file dialog the app has just opened (Linux: GTK's file
 * chooser under Xvfb, driven with xdotool as a person would with the keyboard: the
 * location field, the path, Enter). WebDriver reaches only the webview, not this window.
 */
export async function pickInFileDialog(path) {
  let dialog;
  const deadline = Date.now() + 15_000;
  while (!(dialog = shownWindows().find(([, title]) => title && title !== "Confab"))) {
    if (Date.now() > deadline) throw new Error("no file dialog opened");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // GTK drops key events sent before the dialog's widgets are realized.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  execFileSync("xdotool", ["windowfocus", "--sync", dialog[0]]);
  execFileSync("xdotool", ["key", "ctrl+l"]);
  execFileSync("xdotool", ["type", "--delay", "15", path]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  execFileSync("xdotool", ["key", "Return"]);
  // Back to the app only once the dialog is gone: WebDriver commands sent while GTK still
  // tears it down can fail inside WebKit ("unknown error").
  const closing = Date.now() + 15_000;
  while (shownWindows().some(([id]) => id === dialog[0])) {
    if (Date.now() > closing) throw new Error("the file dialog did not close");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}
