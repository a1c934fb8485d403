import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, mockCore } from "../../../test/core";
import type { KeyStatus } from "../../../ipc";
import { SettingsDialog } from "../components/SettingsDialog";
import { useSettingsDialog } from "../store/settingsDialogStore";

const SECRET = "sk-live-abcdefghijklmnop-9f3Q";
const SETTINGS = { language: "en", theme: "system", maxConcurrentStreams: 4 };

function renderOpen() {
  useSettingsDialog.setState({ open: true });
  return render(<SettingsDialog />);
}

describe("SettingsDialog", () => {
  it("saves a pasted key and only ever shows its last four characters", async () => {
    let status: KeyStatus = { set: false, last4: null };
    const core = mockCore({
      getSettings: () => SETTINGS,
      getApiKeyStatus: () => status,
      getProviderInfo: () => ({ baseUrl: "https://api.example.com/v1", model: "gpt-4o-mini" }),
      setApiKey: (key) => {
        status = { set: true, last4: key.slice(-4) };
        return status;
      },
    });
    const user = userEvent.setup();
    renderOpen();

    expect(await screen.findByText("Not set")).toBeInTheDocument();
    expect(screen.getByTestId("provider-base-url")).toHaveTextContent("https://api.example.com/v1");
    expect(screen.getByTestId("provider-model")).toHaveTextContent("gpt-4o-mini");

    const input = screen.getByTestId("api-key-input");
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAccessibleName("API key");
    await user.click(input);
    await user.paste(SECRET);
    await user.click(screen.getByTestId("save-api-key"));

    expect(core.calls).toContainEqual({ cmd: "set_api_key", args: { key: SECRET } });
    expect(await screen.findByText("Set · ••••9f3Q")).toBeInTheDocument();
    expect(input).toHaveValue("");
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET.slice(0, -4));
    expect(screen.getByTestId("save-api-key")).toHaveTextContent("Replace key");
  });

  it("clears the key", async () => {
    const core = mockCore({
      getSettings: () => SETTINGS,
      getApiKeyStatus: () => ({ set: true, last4: "1234" }),
      getProviderInfo: () => ({ baseUrl: "http://127.0.0.1:11434/v1", model: "qwen2.5" }),
      clearApiKey: () => ({ set: false, last4: null }),
    });
    const user = userEvent.setup();
    renderOpen();

    await user.click(await screen.findByTestId("clear-api-key"));

    expect(core.calls.map((c) => c.cmd)).toContain("clear_api_key");
    expect(await screen.findByText("Not set")).toBeInTheDocument();
  });

  it("shows a keychain failure with what to do, and keeps the draft for another try", async () => {
    mockCore({
      getSettings: () => SETTINGS,
      getApiKeyStatus: () => ({ set: false, last4: null }),
      getProviderInfo: () => ({ baseUrl: "https://api.example.com/v1", model: "m" }),
      setApiKey: () => appError("keychain", "no secret service"),
    });
    const user = userEvent.setup();
    renderOpen();

    await user.type(await screen.findByTestId("api-key-input"), "sk-x{Enter}");

    expect(await screen.findByRole("alert")).toHaveTextContent(/system keychain could not be used/);
    expect(screen.getByTestId("api-key-input")).toHaveValue("sk-x");
  });

  it("closes with the close button", async () => {
    mockCore({
      getSettings: () => SETTINGS,
      getApiKeyStatus: () => ({ set: false, last4: null }),
      getProviderInfo: () => ({ baseUrl: "u", model: "m" }),
    });
    const user = userEvent.setup();
    renderOpen();

    await user.click(screen.getByRole("button", { name: "Close settings" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(useSettingsDialog.getState().open).toBe(false);
  });
});
