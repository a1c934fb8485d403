import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const uiRoot = fileURLToPath(new URL(".", import.meta.url));
// Set by the Tauri CLI when the app runs on a device over the network (mobile dev).
const devHost = process.env.TAURI_DEV_HOST;

/**
 * KaTeX's stylesheet offers each font as woff2, woff and ttf. Every webview Confab runs in
 * (WebKitGTK, WKWebView, WebView2) reads woff2, so the other two were 0.8 MB of the
 * installed app that nothing ever loaded; this drops them before Vite copies the fonts.
 */
function katexWoff2Only(): Plugin {
  return {
    name: "confab:katex-woff2-only",
    enforce: "pre",
    transform(code, id) {
      if (!/[\\/]katex[\\/]dist[\\/]katex(\.min)?\.css$/.test(id)) return null;
      return code.replace(/,\s*url\([^)]+\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, "");
    },
  };
}

export default defineConfig({
  root: uiRoot,
  // Keep Vite's and Vitest's caches in the repo's one node_modules, not in ui/.
  cacheDir: "../node_modules/.vite",
  plugins: [react(), katexWoff2Only()],
  // Tauri reads its own port and error output; a cleared screen would hide Rust errors.
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_"],
  server: {
    port: 1420,
    strictPort: true,
    host: devHost ?? false,
    hmr: devHost ? { protocol: "ws", host: devHost, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 on Windows is Chromium; WebKitGTK and WKWebView are Safari-class.
    target: process.env.TAURI_ENV_PLATFORM === "windows" ? "chrome105" : "safari15",
    sourcemap: Boolean(process.env.TAURI_ENV_DEBUG),
    // Loaded from disk by the webview, never over a network: one bundle is fine.
    chunkSizeWarningLimit: 2048,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
  },
});
