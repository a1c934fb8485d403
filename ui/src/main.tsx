import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ContextMenu } from "./features/contextmenu/components/ContextMenu";
import { AppBoundary } from "./features/crash/components/CrashFallbacks";
import { applyStoredTheme } from "./features/settings/theme";
import { initI18n } from "./i18n";
import "./styles/index.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

async function start(root: HTMLElement) {
  applyStoredTheme();
  // A fake core for UI work in a plain browser; the condition is false in production
  // builds, which then drop the module.
  const params = new URLSearchParams(window.location.search);
  const fake = import.meta.env.DEV && params.has("fake") ? await import("./dev/fakeCore") : null;
  // `?fake&lang=zh-CN` picks the language without changing the system's.
  const lang = params.get("lang");
  const language = fake && (lang === "en" || lang === "zh-CN") ? lang : undefined;
  const i18n = await initI18n(language);
  fake?.installFakeCore({
    chinese: i18n.language === "zh-CN",
    withKey: !params.has("nokey"),
    params,
  });
  createRoot(root).render(
    <StrictMode>
      <AppBoundary>
        <App />
      </AppBoundary>
      <ContextMenu />
    </StrictMode>,
  );
  await fake?.applyScenario(params);
}

void start(root);
