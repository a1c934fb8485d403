import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, mockCore } from "../../../test/core";
import { SettingsDialog } from "../components/SettingsDialog";
import { useSettingsDialog } from "../store/settingsDialogStore";

const SETTINGS = {
  language: "en",
  theme: "system",
  maxConcurrentStreams: 4,
  defaultProviderId: "builtin",
};

function renderOpen() {
  useSettingsDialog.setState({ open: true });
  return render(<SettingsDialog />);
}

describe("SettingsDialog", () => {
  it("asks for no key of its own: the built-in provider is one of the providers", async () => {
    mockCore({
      getSettings: () => SETTINGS,
      listProviders: () => [
        {
          id: "builtin",
          name: "Built-in",
          kind: "openai-compatible",
          baseUrl: "https://api.openai.com/v1",
          defaultModel: "gpt-4o-mini",
          extraHeaders: {},
          secretHeaders: {},
          keySet: true,
          createdAt: 0,
          updatedAt: 0,
        },
      ],
    });
    renderOpen();

    expect(await screen.findByTestId("settings-providers")).toHaveTextContent(
      "Built-ingpt-4o-mini · API key set",
    );
    expect(screen.queryByLabelText("API key")).not.toBeInTheDocument();
    expect(document.querySelector('input[type="password"]')).toBeNull();
  });

  it("says when the providers cannot be read", async () => {
    mockCore({
      getSettings: () => SETTINGS,
      listProviders: () => appError("database", "disk I/O error"),
    });
    renderOpen();

    expect(await screen.findByText("Providers could not be loaded.")).toBeInTheDocument();
    expect(screen.queryByTestId("settings-no-providers")).not.toBeInTheDocument();
  });

  it("closes with the close button", async () => {
    mockCore({ getSettings: () => SETTINGS, listProviders: () => [] });
    const user = userEvent.setup();
    renderOpen();

    await user.click(screen.getByRole("button", { name: "Close settings" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(useSettingsDialog.getState().open).toBe(false);
  });
});
