import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { appError, mockCore, problem } from "../../../test/core";
import type { Problem } from "../../../bindings";
import type { Channel } from "@tauri-apps/api/core";
import type { ImportEvent, ImportKind, ImportSummary } from "../../../ipc";
import { ImportSection } from "../components/ImportSection";
import { LogsSection } from "../components/LogsSection";
import { useImportStore } from "../store/importStore";

beforeEach(() => {
  useImportStore.setState({ state: { phase: "idle" } });
});

interface TauriCallbacks {
  runCallback: (id: number, data: unknown) => void;
}

/** An import whose progress events and end the test drives. */
function manualImport() {
  let channel: number | null = null;
  let index = 0;
  let finish: ((summary: ImportSummary) => void) | null = null;
  let refuse: ((error: unknown) => void) | null = null;
  const handler = (_path: string, _kind: ImportKind, onEvent: Channel<ImportEvent>) => {
    channel = onEvent.id;
    return new Promise<ImportSummary>((resolve, reject) => {
      finish = resolve;
      refuse = reject;
    });
  };
  const internals = () =>
    (window as unknown as { __TAURI_INTERNALS__: TauriCallbacks }).__TAURI_INTERNALS__;
  return {
    handler,
    emit: (event: ImportEvent) => {
      if (channel === null) throw new Error("the import was not started");
      internals().runCallback(channel, { index: index++, message: event });
    },
    finish: (summary: ImportSummary) => finish?.(summary),

    fail: (code: string, message: string, problems: Problem[] = []) =>
      refuse?.({ code, message, problems }),
  };
}

describe("import", () => {
  it("shows progress, then the summary with its notes, and refreshes the list", async () => {
    const run = manualImport();
    const c = mockCore({
      chooseOpenPath: () => "/downloads/conversations.json",
      importConversations: run.handler,
      listConversations: () => [],
    });
    const user = userEvent.setup();
    render(<ImportSection />);
    await user.click(screen.getByTestId("data-import-chatgpt"));
    await waitFor(() => expect(c.calls.map((call) => call.cmd)).toContain("import_conversations"));
    expect(c.calls.find((call) => call.cmd === "import_conversations")?.args).toMatchObject({
      path: "/downloads/conversations.json",
      kind: "chatgpt",
    });
    expect(screen.getByTestId("data-import-chatgpt")).toBeDisabled();

    act(() =>
      run.emit({
        event: "progress",
        data: { done: 500, total: 1000, conversations: 3, messages: 40 },
      }),
    );
    const bar = await screen.findByRole("progressbar");
    await waitFor(() => expect(bar).toHaveAttribute("aria-valuenow", "50"));
    expect(screen.getByTestId("data-import-progress")).toHaveTextContent(
      "Reading 50% · 3 conversations, 40 messages",
    );
    act(() => run.emit({ event: "saving" }));
    await waitFor(() =>
      expect(screen.getByTestId("data-import-progress")).toHaveTextContent("Saving…"),
    );

    act(() =>
      run.finish({
        conversations: 2,
        messages: 9,
        notes: [
          { kind: "images_skipped", count: 1 },
          { kind: "agent_missing", agent: "writer", count: 2 },
          { kind: "empty_skipped", count: 1 },
        ],
      }),
    );
    const done = await screen.findByTestId("data-import-done");
    expect(done).toHaveTextContent("Imported 2 conversations with 9 messages.");
    expect(done).toHaveTextContent("1 image was not imported");
    expect(done).toHaveTextContent(
      "The agent “writer” does not exist here; 2 conversations were imported without an agent.",
    );
    expect(done).toHaveTextContent("1 conversation without any text was left out.");
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
    await waitFor(() => expect(c.calls.map((call) => call.cmd)).toContain("list_conversations"));
  });

  it("says nothing changed and lists the problems of a rejected file", async () => {
    const run = manualImport();
    mockCore({ chooseOpenPath: () => "/x.json", importConversations: run.handler });
    const user = userEvent.setup();
    render(<ImportSection />);
    await user.click(screen.getByTestId("data-import-confab"));
    await waitFor(() => expect(screen.getByTestId("data-import-confab")).toBeDisabled());
    act(() =>
      run.fail("invalid_input", "conversations[0].messages: is empty", [
        problem("conversations[0].messages", "required"),
      ]),
    );
    const failed = await screen.findByTestId("data-import-failed");
    expect(failed).toHaveTextContent("The file was not imported, and nothing was changed.");
    expect(failed).toHaveTextContent("conversations[0].messages: This cannot be empty.");
    expect(screen.getByTestId("data-import-confab")).toBeEnabled();
    await userEvent.setup().click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("data-import-failed")).not.toBeInTheDocument();
  });

  it("imports nothing when the file dialog is cancelled", async () => {
    const c = mockCore({ chooseOpenPath: () => null });
    const user = userEvent.setup();
    render(<ImportSection />);
    await user.click(screen.getByTestId("data-import-chatgpt"));
    await waitFor(() => expect(c.calls).toHaveLength(1));
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
    expect(useImportStore.getState().state.phase).toBe("idle");
  });

  it("a storage failure is explained as such", async () => {
    mockCore({
      chooseOpenPath: () => "/x.json",
      importConversations: () => appError("storage_full", "disk full"),
    });
    const user = userEvent.setup();
    render(<ImportSection />);
    await user.click(screen.getByTestId("data-import-confab"));
    expect(await screen.findByTestId("data-import-failed")).toHaveTextContent("The disk is full");
  });
});

describe("logs and diagnostics", () => {
  const logs = {
    dir: "/logs",
    currentFile: "/logs/confab.2025-03-01.log",
    currentSizeBytes: 48_000,
    totalSizeBytes: 612_000,
  };

  it("shows the log folder, opens it, and saves diagnostics where chosen", async () => {
    const c = mockCore({
      getLogInfo: () => logs,
      openLogFolder: () => null,
      chooseSavePath: (_kind, fileName) => `/home/me/${fileName}`,
      exportDiagnostics: () => 1234,
    });
    const user = userEvent.setup();
    render(<LogsSection />);
    expect(await screen.findByTestId("data-log-dir")).toHaveTextContent("/logs");
    expect(screen.getByText("48 kB today, 612 kB this week")).toBeInTheDocument();

    await user.click(screen.getByTestId("data-open-logs"));
    await waitFor(() => expect(c.calls.map((call) => call.cmd)).toContain("open_log_folder"));

    await user.click(screen.getByTestId("data-diagnostics"));
    expect(await screen.findByTestId("data-diagnostics-done")).toHaveTextContent(
      /Diagnostics saved to \/home\/me\/confab-diagnostics-\d{4}-\d\d-\d\d\.json/,
    );
    const exported = c.calls.find((call) => call.cmd === "export_diagnostics");
    expect(String(exported?.args.path)).toMatch(/^\/home\/me\/confab-diagnostics-/);
  });

  it("shows why the log folder could not be opened", async () => {
    mockCore({
      getLogInfo: () => ({ ...logs, currentFile: null, currentSizeBytes: 0, totalSizeBytes: 0 }),
      openLogFolder: () => appError("internal", "no file manager"),
    });
    const user = userEvent.setup();
    render(<LogsSection />);
    expect(await screen.findByText("No log file yet")).toBeInTheDocument();
    await user.click(screen.getByTestId("data-open-logs"));
    expect(await screen.findByRole("alert")).toHaveTextContent("no file manager");
  });
});
