import { render, screen } from "@testing-library/react";
import type { Settings } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { SettingsDialog } from "../components/SettingsDialog";
import { useSettingsDialog } from "../store/settingsDialogStore";

export const STORED: Required<Settings> = {
  language: "en",
  theme: "system",
  maxConcurrentStreams: 4,
  requestsPerMinute: 0,
  stallTimeoutSecs: 60,
  maxReplyKib: 1024,
  autoResume: 2,
  maxToolSteps: 10,
  autoTitle: true,
  debugCapture: false,
  logLevel: "info",
  defaultProviderId: null,
  maxAttachmentMib: 50,
  maxMessageAttachmentsMib: 100,
  checkUpdatesAtStart: false,
};

/** A core whose settings live in memory; `set_settings` may be replaced to refuse. */
export function settingsCore(setSettings?: (settings: Settings) => Settings | Promise<Settings>) {
  let stored: Settings = { ...STORED };
  return mockCore({
    listProviders: () => [],
    appVersion: () => ({ version: "0.1.0", installable: true }),
    foundUpdate: () => null,
    getSettings: () => stored,
    setSettings: (settings) => {
      if (setSettings) return setSettings(settings);
      stored = settings;
      return stored;
    },
  });
}

export async function renderOpen() {
  useSettingsDialog.setState({ open: true });
  render(<SettingsDialog />);
  return screen.findByTestId("chat-settings-form");
}
