import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { UpdateInfo } from "../../../ipc";
import { appError, channelSender, mockCore } from "../../../test/core";
import type { Handlers } from "../../../test/core";
import { UpdatesSection } from "../components/UpdatesSection";
import { usePreferences } from "../store/preferencesStore";
import { useUpdates } from "../store/updatesStore";
import { STORED } from "./settingsFixtures";

const FOUND: UpdateInfo = {
  version: "0.2.0",
  currentVersion: "0.1.0",
  publishedAt: Date.UTC(2026, 0, 15, 12),
  notes:
    "## What is new\n\n- **Signed** updates\n\n<img src=x onerror=alert(1)><script>alert(2)</script>",
};

function updatesCore(handlers: Handlers = {}) {
  let stored = { ...STORED };
  return mockCore({
    appVersion: () => ({ version: "0.1.0", installable: true }),
    foundUpdate: () => null,
    checkForUpdate: () => FOUND,
    getSettings: () => stored,
    setSettings: (settings) => (stored = { ...STORED, ...settings }),
    restartApp: () => undefined,
    ...handlers,
  });
}

async function renderSection() {
  await usePreferences.getState().load();
  render(<UpdatesSection />);
  expect(await screen.findByTestId("update-version")).toHaveTextContent("Confab 0.1.0");
}

beforeEach(() => {
  useUpdates.setState({ version: null, phase: { kind: "idle" }, noticeDismissed: false });
});

describe("updates", () => {
  it("says when the running version is the newest", async () => {
    const core = updatesCore({ checkForUpdate: () => null });
    await renderSection();
    await userEvent.click(screen.getByTestId("update-check"));
    expect(await screen.findByTestId("update-status")).toHaveTextContent(
      "Confab 0.1.0 is the newest version.",
    );
    expect(core.calls.filter((c) => c.cmd === "check_for_update")).toHaveLength(1);
  });

  it("shows a new version's notes as sanitized Markdown, installs with progress, then restarts", async () => {
    let finish = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const core = updatesCore({
      installUpdate: async (channel) => {
        const sender = channelSender(channel);
        sender.send({ event: "progress", data: { downloaded: 1_500_000, total: 3_000_000 } });
        await done;
        sender.send({ event: "installing" });
        return null;
      },
    });
    const user = userEvent.setup();
    await renderSection();
    await user.click(screen.getByTestId("update-check"));

    expect(await screen.findByTestId("update-status")).toHaveTextContent(
      "Confab 0.2.0 is available",
    );
    const notes = screen.getByTestId("update-notes");
    expect(within(notes).getByRole("heading")).toHaveTextContent("What is new");
    expect(within(notes).getByText("Signed").tagName).toBe("STRONG");
    // Raw HTML in the notes is not rendered: no image that runs a handler, no script.
    expect(notes.querySelector("img, script")).toBeNull();

    await user.click(screen.getByTestId("update-install"));
    const bar = await screen.findByRole("progressbar");
    await waitFor(() => expect(bar).toHaveAttribute("aria-valuenow", "50"));
    expect(screen.getByTestId("update-progress")).toHaveTextContent("Downloading… 50%");
    finish();

    expect(await screen.findByTestId("update-installed")).toHaveTextContent(
      "Confab 0.2.0 is installed. Restart Confab to use it.",
    );
    await user.click(screen.getByTestId("update-restart"));
    await waitFor(() => expect(core.calls.map((c) => c.cmd)).toContain("restart_app"));
  });

  it("refuses a bad signature with a clear message, and the running version stays", async () => {
    updatesCore({
      installUpdate: () =>
        appError("update_signature", "the update's signature does not match; it was not installed"),
    });
    const user = userEvent.setup();
    await renderSection();
    await user.click(screen.getByTestId("update-check"));
    await user.click(await screen.findByTestId("update-install"));

    const error = await screen.findByTestId("update-error");
    expect(error).toHaveTextContent(
      "The update's signature does not match; it was not installed. Confab 0.1.0 keeps running.",
    );
    expect(screen.queryByTestId("update-restart")).toBeNull();
    expect(screen.getByTestId("update-check")).toBeEnabled();
  });

  it("shows a failed check's translated reason", async () => {
    updatesCore({ checkForUpdate: () => appError("update_network", "connection refused") });
    await renderSection();
    await userEvent.click(screen.getByTestId("update-check"));
    const error = await screen.findByTestId("update-error");
    expect(error).toHaveTextContent("The update server could not be reached");
    expect(error).toHaveTextContent("connection refused");
  });

  it("offers no install in a copy that cannot update itself", async () => {
    updatesCore({ appVersion: () => ({ version: "0.1.0", installable: false }) });
    await renderSection();
    await userEvent.click(screen.getByTestId("update-check"));
    expect(await screen.findByTestId("update-not-installable")).toHaveTextContent(
      "cannot update itself",
    );
    expect(screen.queryByTestId("update-install")).toBeNull();
  });

  it("stores the check at start, off until turned on", async () => {
    const core = updatesCore();
    await renderSection();
    const box = screen.getByLabelText("Check for updates when Confab starts");
    expect(box).not.toBeChecked();
    await userEvent.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(core.calls).toContainEqual({
      cmd: "set_settings",
      args: { settings: { ...STORED, checkUpdatesAtStart: true } },
    });
    // Nothing was asked of the update server.
    expect(core.calls.map((c) => c.cmd)).not.toContain("check_for_update");
  });
});
