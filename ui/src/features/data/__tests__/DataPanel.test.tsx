import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { appError, mockCore } from "../../../test/core";
import type { Handlers } from "../../../test/core";
import type { BackupInfo, StorageInfo } from "../../../ipc";
import { useChatStore } from "../../chat/store/chatStore";
import { DataPanel } from "../components/DataPanel";
import { useImportStore } from "../store/importStore";

const INFO: StorageInfo = {
  dbPath: "/data/confab.db",
  dbSizeBytes: 4_915_200,
  walSizeBytes: 0,
  backupDir: "/data/backups",
  backupCount: 1,
  quickCheckOk: true,
  quickCheckMessage: "",
  attachmentsBytes: 2_400_000,
};

const BACKUP: BackupInfo = {
  path: "/data/backups/manual-1.db",
  fileName: "manual-1.db",
  kind: "manual",
  sizeBytes: 4_800_000,
  createdAt: Date.UTC(2025, 2, 1, 9, 30),
};

const LOGS = {
  dir: "/logs",
  currentFile: "/logs/confab.2025-03-01.log",
  currentSizeBytes: 48_000,
  totalSizeBytes: 612_000,
};

function core(overrides: Handlers = {}) {
  return mockCore({
    getStorageInfo: () => INFO,
    listBackups: () => [BACKUP],
    getLogInfo: () => LOGS,
    ...overrides,
  });
}

const calls = (c: ReturnType<typeof mockCore>, cmd: string) =>
  c.calls.filter((call) => call.cmd === cmd).map((call) => call.args);

beforeEach(() => {
  useImportStore.setState({ state: { phase: "idle" } });
});

describe("database", () => {
  it("shows where the database is, its size and health, and its backups", async () => {
    core();
    render(<DataPanel />);
    expect(await screen.findByTestId("data-db-path")).toHaveTextContent("/data/confab.db");
    expect(screen.getByTestId("data-db-size")).toHaveTextContent("4.9 MB");
    expect(screen.getByTestId("data-attachments-size")).toHaveTextContent("2.4 MB");
    expect(screen.getByTestId("data-db-health")).toHaveTextContent("Integrity check passed");
    const list = await screen.findByTestId("data-backups");
    expect(within(list).getByText(/Made by you/)).toBeInTheDocument();
  });

  it("says what the integrity check found", async () => {
    core({
      getStorageInfo: () => ({ ...INFO, quickCheckOk: false, quickCheckMessage: "page 7 bad" }),
    });
    render(<DataPanel />);
    const health = await screen.findByTestId("data-db-health");
    expect(health).toHaveTextContent("Problems found");
    expect(health).toHaveTextContent("page 7 bad");
  });

  it("backs up into the backups folder and lists the new copy", async () => {
    const copy: BackupInfo = {
      ...BACKUP,
      path: "/data/backups/manual-2.db",
      fileName: "manual-2.db",
    };
    let backups = [BACKUP];
    const c = core({
      listBackups: () => backups,
      backupDatabase: () => {
        backups = [copy, BACKUP];
        return copy;
      },
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    await screen.findByTestId("data-backups");
    await user.click(screen.getByTestId("data-backup-now"));
    expect(await screen.findByTestId("data-backup-done")).toHaveTextContent("manual-2.db");
    expect(calls(c, "backup_database")).toEqual([{ path: null }]);
    await waitFor(() =>
      expect(within(screen.getByTestId("data-backups")).getAllByRole("listitem")).toHaveLength(2),
    );
  });

  it("saves a copy where the person chooses, and does nothing when they cancel", async () => {
    let chosen: string | null = null;
    const c = core({
      chooseSavePath: () => chosen,
      backupDatabase: (path) => ({
        ...BACKUP,
        path: path ?? BACKUP.path,
        fileName: "mine.db",
        kind: null,
      }),
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    await screen.findByTestId("data-backups");

    await user.click(screen.getByTestId("data-backup-save-as"));
    await waitFor(() => expect(calls(c, "choose_save_path")).toHaveLength(1));
    expect(calls(c, "backup_database")).toEqual([]);

    chosen = "/home/me/mine.db";
    await user.click(screen.getByTestId("data-backup-save-as"));
    expect(await screen.findByTestId("data-backup-done")).toHaveTextContent("mine.db");
    const [asked] = calls(c, "choose_save_path");
    expect(asked?.kind).toBe("database");
    expect(String(asked?.fileName)).toMatch(/^confab-backup-\d{4}-\d\d-\d\d\.db$/);
    expect(calls(c, "backup_database")).toEqual([{ path: "/home/me/mine.db" }]);
  });

  it("restores only after a confirmation that says what happens", async () => {
    let refuse = true;
    const c = core({
      restoreBackup: () => (refuse ? appError("corrupt", "not a database") : null),
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    const list = await screen.findByTestId("data-backups");

    await user.click(within(list).getByRole("button", { name: /Restore the backup from/ }));
    const confirm = await screen.findByRole("alertdialog");
    expect(confirm).toHaveTextContent("Confab restarts at once");
    expect(confirm).toHaveTextContent("kept as a “before a restore” backup");
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(calls(c, "restore_backup")).toEqual([]);

    await user.click(within(list).getByRole("button", { name: /Restore the backup from/ }));
    await user.click(await screen.findByTestId("data-restore-confirm"));
    expect(await within(screen.getByRole("alertdialog")).findByRole("alert")).toHaveTextContent(
      "The database file is damaged",
    );

    refuse = false;
    await user.click(screen.getByTestId("data-restore-confirm"));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(calls(c, "restore_backup")).toEqual([{ path: BACKUP.path }, { path: BACKUP.path }]);
  });
});

describe("export", () => {
  it("exports everything when no conversation is open", async () => {
    const c = core({
      chooseSavePath: (_kind, fileName) => `/out/${fileName}`,
      exportConversations: (_ids, _format, path) => ({
        path,
        conversations: 12,
        messages: 340,
        bytes: 1000,
      }),
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    expect(screen.getByTestId("data-export-current")).toBeDisabled();
    await user.click(screen.getByTestId("data-export-json"));
    expect(await screen.findByTestId("data-export-done")).toHaveTextContent(
      /Exported 12 conversations \(340 messages\) to \/out\/confab-\d{4}-\d\d-\d\d\.json/,
    );
    const [asked] = calls(c, "export_conversations");
    expect(asked?.ids).toBeNull();
    expect(asked?.format).toBe("json");
  });

  it("exports the open conversation under its title", async () => {
    const conversation = {
      id: "c1",
      agentId: null,
      title: 'Trip: Lisbon/Porto "draft"',
      status: "active" as const,
      pinned: false,
      toolsEnabled: true,
      createdAt: 1,
      updatedAt: 2,
    };
    useChatStore.setState({ detail: { conversation, messages: [], hasMore: false } });
    const c = core({
      chooseSavePath: (_kind, fileName) => `/out/${fileName}`,
      exportConversations: (_ids, _format, path) => ({
        path,
        conversations: 1,
        messages: 1,
        bytes: 9,
      }),
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    await user.click(screen.getByTestId("data-export-current"));
    await user.click(screen.getByTestId("data-export-md"));
    expect(await screen.findByTestId("data-export-done")).toHaveTextContent(
      "Exported 1 conversation",
    );
    expect(calls(c, "choose_save_path")).toEqual([
      { kind: "markdown", fileName: "Trip Lisbon Porto draft.md" },
    ]);
    expect(calls(c, "export_conversations")).toEqual([
      { ids: ["c1"], format: "markdown", path: "/out/Trip Lisbon Porto draft.md" },
    ]);
  });

  it("shows a failed export with its reason", async () => {
    core({
      chooseSavePath: () => "/full/x.md",
      exportConversations: () => appError("storage_full", "cannot write /full/x.md"),
    });
    const user = userEvent.setup();
    render(<DataPanel />);
    await user.click(screen.getByTestId("data-export-md"));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The disk is full");
    expect(alert).toHaveTextContent("cannot write /full/x.md");
  });
});
