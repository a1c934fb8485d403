import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { i18n } from "../../../i18n";
import { SettingsDialog } from "../components/SettingsDialog";
import { STORED, renderOpen, settingsCore } from "./settingsFixtures";
import { usePreferences } from "../store/preferencesStore";
import { useSettingsDialog } from "../store/settingsDialogStore";

describe("chat settings", () => {
  it("shows the stored values and saves changes, keeping the fields it does not show", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    const form = await renderOpen();

    const concurrent = within(form).getByLabelText("Replies at once");
    expect(concurrent).toHaveValue(4);
    expect(within(form).getByLabelText("Stall timeout (seconds)")).toHaveValue(60);
    expect(within(form).getByLabelText("Generate titles")).toBeChecked();

    await user.clear(concurrent);
    await user.type(concurrent, "8");
    await user.clear(within(form).getByLabelText("Requests per minute"));
    await user.type(within(form).getByLabelText("Requests per minute"), "120");
    await user.click(within(form).getByLabelText("Generate titles"));
    await user.click(screen.getByTestId("save-settings"));

    expect(await screen.findByTestId("settings-saved")).toHaveTextContent("Settings saved.");
    expect(core.calls).toContainEqual({
      cmd: "set_settings",
      args: {
        settings: {
          ...STORED,
          language: "en",
          maxConcurrentStreams: 8,
          requestsPerMinute: 120,
          autoTitle: false,
        },
      },
    });
    expect(usePreferences.getState().value).toMatchObject({
      maxConcurrentStreams: 8,
      requestsPerMinute: 120,
      autoTitle: false,
    });
  });

  it("shows the core's validation message next to the form and marks the field", async () => {
    settingsCore(() =>
      invalidInput(problem("maxConcurrentStreams", "out_of_range", { min: 1, max: 32 })),
    );
    const user = userEvent.setup();
    const form = await renderOpen();
    const concurrent = within(form).getByLabelText("Replies at once");

    await user.clear(concurrent);
    await user.type(concurrent, "99{Enter}");

    const error = await screen.findByTestId("settings-error");
    expect(error).toHaveTextContent("Replies at once: this value was not accepted.");
    expect(error).toHaveTextContent("Enter a value from 1 to 32.");
    expect(concurrent).toHaveAttribute("aria-invalid", "true");
    expect(concurrent).toHaveValue(99);
    expect(screen.queryByTestId("settings-saved")).not.toBeInTheDocument();
  });

  it("sets the reply size limit and how often a cut reply resumes", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    const form = await renderOpen();

    const size = within(form).getByLabelText("Longest reply (KiB)");
    const resume = within(form).getByLabelText("Resume cut replies");
    expect(size).toHaveValue(1024);
    expect(resume).toHaveValue(2);
    expect(size).toHaveAccessibleDescription(/16–65,536/);
    expect(resume).toHaveAccessibleDescription(/0 turns it off/);

    await user.clear(size);
    await user.type(size, "4096");
    await user.clear(resume);
    await user.type(resume, "0");
    await user.click(screen.getByTestId("save-settings"));

    expect(await screen.findByTestId("settings-saved")).toBeInTheDocument();
    expect(core.calls).toContainEqual({
      cmd: "set_settings",
      args: { settings: { ...STORED, maxReplyKib: 4096, autoResume: 0 } },
    });
  });

  it("sets the tool steps a reply may make", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    const form = await renderOpen();

    const steps = within(form).getByLabelText("Tool steps per reply");
    expect(steps).toHaveValue(10);
    expect(steps).toHaveAccessibleDescription(/1–50/);
    await user.clear(steps);
    await user.type(steps, "25");
    await user.click(screen.getByTestId("save-settings"));

    expect(await screen.findByTestId("settings-saved")).toBeInTheDocument();
    expect(core.calls).toContainEqual({
      cmd: "set_settings",
      args: { settings: { ...STORED, maxToolSteps: 25 } },
    });
  });

  it("sets the size limits of attachments", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    const form = await renderOpen();

    const file = within(form).getByLabelText("Largest attachment (MiB)");
    const message = within(form).getByLabelText("Attachments per message (MiB)");
    expect(file).toHaveValue(50);
    expect(message).toHaveValue(100);
    expect(file).toHaveAccessibleDescription(/1–512/);
    expect(message).toHaveAccessibleDescription(/1–2,048/);

    await user.clear(file);
    await user.type(file, "200");
    await user.clear(message);
    await user.type(message, "400");
    await user.click(screen.getByTestId("save-settings"));

    expect(await screen.findByTestId("settings-saved")).toBeInTheDocument();
    expect(core.calls).toContainEqual({
      cmd: "set_settings",
      args: { settings: { ...STORED, maxAttachmentMib: 200, maxMessageAttachmentsMib: 400 } },
    });
  });

  it.each([
    ["autoResume", "Resume cut replies", { min: 0, max: 5 }, "9"],
    ["maxToolSteps", "Tool steps per reply", { min: 1, max: 50 }, "0"],
  ])("marks the %s field when the core refuses its value", async (path, label, range, typed) => {
    settingsCore(() => invalidInput(problem(path, "out_of_range", range)));
    const user = userEvent.setup();
    const form = await renderOpen();
    const field = within(form).getByLabelText(label);

    await user.clear(field);
    await user.type(field, `${typed}{Enter}`);

    expect(await screen.findByTestId("settings-error")).toHaveTextContent(
      `${label}: this value was not accepted.`,
    );
    expect(field).toHaveAttribute("aria-invalid", "true");
  });

  it("asks for a whole number without bothering the core", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    const form = await renderOpen();

    await user.clear(within(form).getByLabelText("Stall timeout (seconds)"));
    await user.click(screen.getByTestId("save-settings"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Stall timeout (seconds): enter a whole number.",
    );
    expect(core.calls.map((c) => c.cmd)).not.toContain("set_settings");
  });

  it("offers to try again when the settings cannot be read", async () => {
    let fail = true;
    mockCore({
      getSettings: () => (fail ? appError("database", "disk I/O error") : STORED),
    });
    const user = userEvent.setup();
    useSettingsDialog.setState({ open: true });
    render(<SettingsDialog />);

    const section = screen.getByTestId("chat-settings");
    expect(await within(section).findByRole("alert")).toHaveTextContent(
      "Settings could not be loaded.",
    );
    fail = false;
    await user.click(within(section).getByRole("button", { name: "Retry" }));

    expect(await screen.findByTestId("chat-settings-form")).toBeInTheDocument();
  });
});

describe("appearance", () => {
  it("applies a theme at once and stores it", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    await renderOpen();

    await user.click(screen.getByRole("radio", { name: "Dark" }));

    expect(document.documentElement.dataset.theme).toBe("dark");
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "set_settings",
        args: { settings: { ...STORED, theme: "dark" } },
      }),
    );

    await user.click(screen.getByRole("radio", { name: "System" }));
    expect(document.documentElement).not.toHaveAttribute("data-theme");
    expect(screen.getByRole("radio", { name: "System" })).toBeChecked();
  });

  it("switches the language at once, and back to following the system", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    await renderOpen();

    await user.selectOptions(screen.getByTestId("setting-language"), "zh-CN");

    expect(await screen.findByRole("heading", { name: "设置" })).toBeInTheDocument();
    expect(i18n.language).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "set_settings",
        args: { settings: { ...STORED, language: "zh-CN" } },
      }),
    );

    // jsdom's system language is English.
    await user.selectOptions(screen.getByTestId("setting-language"), "system");
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    await waitFor(() => expect(usePreferences.getState().value?.language).toBeNull());
  });

  it("goes back to the stored theme when the core refuses to store the new one", async () => {
    settingsCore(() => appError("database", "disk full"));
    const user = userEvent.setup();
    await renderOpen();

    await user.click(screen.getByRole("radio", { name: "Light" }));

    expect(
      await within(screen.getByTestId("appearance-settings")).findByRole("alert"),
    ).toHaveTextContent("The local database could not be read or written");
    expect(document.documentElement).not.toHaveAttribute("data-theme");
    expect(screen.getByRole("radio", { name: "System" })).toBeChecked();
  });
});

describe("start-up", () => {
  it("applies the stored language and theme", async () => {
    mockCore({ getSettings: () => ({ ...STORED, language: "zh-CN", theme: "dark" }) });

    await usePreferences.getState().load();

    expect(i18n.language).toBe("zh-CN");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(window.localStorage.getItem("confab.theme")).toBe("dark");
  });
});

describe("diagnostics settings", () => {
  it("stores a new log level at once, keeping every other setting", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    await renderOpen();

    const level = screen.getByLabelText("Log level");
    expect(level).toHaveValue("info");
    await user.selectOptions(level, "debug");
    expect(await screen.findByTestId("diagnostics-saved")).toHaveTextContent("Settings saved.");
    const call = core.calls.filter((c) => c.cmd === "set_settings").at(-1);
    expect(call?.args.settings).toEqual({ ...STORED, logLevel: "debug" });
    expect(usePreferences.getState().value?.logLevel).toBe("debug");
  });

  it("turns raw exchange capture on", async () => {
    const core = settingsCore();
    const user = userEvent.setup();
    await renderOpen();

    const capture = screen.getByLabelText("Keep raw requests and replies");
    expect(capture).not.toBeChecked();
    await user.click(capture);
    expect(await screen.findByTestId("diagnostics-saved")).toBeInTheDocument();
    expect(capture).toBeChecked();
    const call = core.calls.filter((c) => c.cmd === "set_settings").at(-1);
    expect(call?.args.settings).toEqual({ ...STORED, debugCapture: true });
  });

  it("says why a level was refused and keeps showing the stored one", async () => {
    settingsCore(() => invalidInput(problem("logLevel", "not_a_choice")));
    const user = userEvent.setup();
    await renderOpen();

    await user.selectOptions(screen.getByLabelText("Log level"), "trace");
    expect(await screen.findByTestId("diagnostics-error")).toHaveTextContent(
      "logLevel: This choice is not available.",
    );
    expect(screen.getByLabelText("Log level")).toHaveValue("info");
  });
});
