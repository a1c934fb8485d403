import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { App } from "../../../App";
import type { BackupInfo, StartupStatus } from "../../../ipc";
import { appError, mockCore } from "../../../test/core";
import { useStartup } from "../store/startupStore";

const DIR = "/data/backups";
const BACKUPS: BackupInfo[] = [
  {
    path: `${DIR}/manual-2.db`,
    fileName: "manual-2.db",
    kind: "manual",
    sizeBytes: 5 * 1024 * 1024,
    createdAt: 1_790_000_000_000,
  },
  {
    path: `${DIR}/pre-migration-1.db`,
    fileName: "pre-migration-1.db",
    kind: "pre_migration",
    sizeBytes: 4 * 1024 * 1024,
    createdAt: 1_780_000_000_000,
  },
];

function recovery(backups: BackupInfo[] = BACKUPS): StartupStatus {
  return {
    state: { kind: "recovery_needed", code: "corrupt" },
    message: "database disk image is malformed",
    dbPath: "/data/confab.db",
    backups,
    progress: null,
  };
}

beforeEach(() => {
  useStartup.setState({
    phase: "checking",
    status: null,
    restoring: null,
    restoreError: null,
    noticeDismissed: false,
  });
});

describe("start-up", () => {
  it("says the history is opening while it does, then opens the app", async () => {
    let asked = 0;
    const opening: StartupStatus = {
      state: { kind: "opening" },
      message: "",
      dbPath: "/data/confab.db",
      backups: [],
      progress: null,
    };
    // After an update: the copy, then the upgrade, then the app.
    const steps: StartupStatus[] = [
      opening,
      { ...opening, progress: { step: "backing_up", percent: 40 } },
      { ...opening, progress: { step: "backing_up", percent: 40 } },
      { ...opening, progress: { step: "backing_up", percent: 40 } },
      { ...opening, progress: { step: "upgrading", percent: null } },
      { ...opening, progress: { step: "upgrading", percent: null } },
      { ...opening, progress: { step: "upgrading", percent: null } },
      { ...opening, progress: { step: "upgrading", percent: null } },
    ];
    const core = mockCore({
      getStartupStatus: () => steps[asked++] ?? { ...opening, state: { kind: "ok" } },
      getSettings: () => ({ language: "en", theme: "system", maxConcurrentStreams: 4 }),
      listConversations: () => [],
      listAgents: () => [],
      listActiveStreams: () => [],
    });
    render(<App />);

    const screenText = await screen.findByTestId("opening-screen");
    await waitFor(() => expect(screenText).toHaveTextContent("Backing up your history"));
    expect(screen.getByTestId("opening-progress")).toHaveAttribute("value", "40");
    await waitFor(() => expect(screenText).toHaveTextContent("Upgrading your history"), {
      timeout: 2_000,
    });
    expect(screen.queryByTestId("opening-progress")).toBeNull();
    expect(core.calls.every((call) => call.cmd === "get_startup_status")).toBe(true);
    expect(await screen.findByTestId("message-input", {}, { timeout: 3_000 })).toBeInTheDocument();
    expect(screen.queryByTestId("opening-screen")).not.toBeInTheDocument();
    expect(asked).toBe(9);
  });
});

describe("start-up recovery", () => {
  it("shows the recovery screen, not the app, and calls nothing but storage commands", async () => {
    const core = mockCore({ getStartupStatus: () => recovery() });
    render(<App />);

    expect(await screen.findByTestId("recovery-screen")).toBeInTheDocument();
    expect(screen.getByTestId("recovery-reason")).toHaveTextContent(
      "Database damaged. The database file is damaged. Restore the latest backup",
    );
    expect(screen.getByTestId("recovery-db-path")).toHaveTextContent("/data/confab.db");
    expect(screen.getByText("database disk image is malformed")).toBeInTheDocument();
    const rows = screen.getAllByTestId("recovery-backup");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Latest");
    expect(rows[0]).toHaveTextContent("Made by you · 5 MB");
    expect(rows[1]).toHaveTextContent("Before an upgrade · 4 MB");
    expect(core.calls.map((call) => call.cmd)).toEqual(["get_startup_status"]);
  });

  it("restores the chosen backup only after confirmation", async () => {
    const core = mockCore({
      getStartupStatus: () => recovery(),
      restoreBackup: () => null,
    });
    const user = userEvent.setup();
    render(<App />);

    const rows = await screen.findAllByTestId("recovery-backup");
    await user.click(within(rows[1]!).getByRole("button", { name: "Restore" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Restore this backup?" });
    expect(dialog).toHaveTextContent("kept beside it");
    expect(core.calls.some((call) => call.cmd === "restore_backup")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Restore and restart" }));
    await waitFor(() =>
      expect(core.calls.find((call) => call.cmd === "restore_backup")?.args).toEqual({
        path: `${DIR}/pre-migration-1.db`,
      }),
    );
    expect(await screen.findByRole("status")).toHaveTextContent("Restoring");
  });

  it("says why a restore failed and lets the person try again", async () => {
    mockCore({
      getStartupStatus: () => recovery(),
      restoreBackup: () => appError("corrupt", "backup is damaged too"),
    });
    const user = userEvent.setup();
    render(<App />);

    await user.click((await screen.findAllByRole("button", { name: "Restore" }))[0]!);
    await user.click(await screen.findByRole("button", { name: "Restore and restart" }));
    const error = await screen.findByTestId("recovery-error");
    expect(error).toHaveTextContent("The database file is damaged");
    expect(error).toHaveTextContent("backup is damaged too");
    expect(screen.getAllByRole("button", { name: "Restore" })[0]).toBeEnabled();
  });

  it("without backups says where the file is and offers a restart", async () => {
    const core = mockCore({
      getStartupStatus: () => ({
        ...recovery([]),
        state: { kind: "recovery_needed", code: "db_locked" },
      }),
      restartApp: () => undefined,
    });
    const user = userEvent.setup();
    render(<App />);

    expect(await screen.findByTestId("recovery-no-backups")).toHaveTextContent("keep a copy of it");
    expect(screen.getByTestId("recovery-reason")).toHaveTextContent("Database in use");
    await user.click(screen.getByRole("button", { name: "Restart Confab" }));
    await waitFor(() => expect(core.calls.some((call) => call.cmd === "restart_app")).toBe(true));
  });
});
