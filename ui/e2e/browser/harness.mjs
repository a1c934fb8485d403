// Shared by the browser tests and the rendering benchmark: the Vite dev server (in this
// process, on a free port) serving the UI with its fake core (`?fake`), and Chromium from
// the system (Debian's /usr/bin/chromium) driven by playwright-core. No browser is downloaded.

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createServer } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../..");

/** Where Chromium is: $CHROMIUM, else the usual system locations. */
export function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      "No Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM.",
    );
  }
  return found;
}

/** Starts the dev server on a free port; returns its base URL and a function to stop it. */
export async function startUi() {
  const server = await createServer({
    configFile: join(root, "ui/vite.config.ts"),
    logLevel: "warn",
    server: { port: 0, strictPort: false, host: "127.0.0.1", hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === "string") throw new Error("the dev server has no port");
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Launches Chromium headless (software rendering, so it runs without a GPU or display). */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", ...extraArgs],
  });
}

/** Screenshots go here (git ignores target/). */
export function screenshotDir(name) {
  const dir = join(root, "target", name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * For a test file: starts the dev server and Chromium before its tests and stops both after.
 * The returned object's `ui` and `browser` are set once they run.
 */
export function uiSession() {
  const session = { ui: null, browser: null };
  before(async () => {
    session.ui = await startUi();
    session.browser = await launchBrowser();
  });
  after(async () => {
    await session.browser?.close();
    await session.ui?.close();
  });
  return session;
}

/**
 * A fresh page on the fake core (`?fake&<query>`) that collects uncaught page errors in
 * `page.errors`; with `failOnDialog`, a native dialog is dismissed and counted as one.
 */
export async function openFake(session, query, viewport, { failOnDialog = false } = {}) {
  const context = await session.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (failOnDialog) {
    page.on("dialog", (dialog) => {
      errors.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }
  await page.goto(`${session.ui.url}?fake&${query}`);
  page.errors = errors;
  return page;
}
