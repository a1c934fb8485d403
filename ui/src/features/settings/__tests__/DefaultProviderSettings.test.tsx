import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { invalidInput, mockCore, problem } from "../../../test/core";
import type { Provider, Settings } from "../../../ipc";
import { useProvidersPage } from "../../providers/store/providersPageStore";
import { useSettingsDialog } from "../store/settingsDialogStore";
import { STORED, renderOpen } from "./settingsFixtures";

describe("default provider", () => {
  const deepseek: Provider = {
    id: "p-deepseek",
    name: "DeepSeek",
    kind: "openai-compatible",
    baseUrl: "https://api.deepseek.com/v1",
    defaultModel: "deepseek-chat",
    extraHeaders: {},
    secretHeaders: {},
    keySet: true,
    createdAt: 0,
    updatedAt: 0,
  };

  const builtin: Provider = {
    ...deepseek,
    id: "builtin",
    name: "Built-in",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4o-mini",
    keySet: false,
  };

  it("lists the providers and picks the one for agents without one; keys live on the providers page", async () => {
    let stored: Settings = { ...STORED, defaultProviderId: "builtin" };
    const core = mockCore({
      getSettings: () => stored,
      setSettings: (settings) => (stored = settings),
      listProviders: () => [builtin, deepseek],
    });
    const user = userEvent.setup();
    await renderOpen();

    const select = screen.getByLabelText("Default provider");
    await waitFor(() => expect(select).toBeEnabled());
    expect(select).toHaveValue("builtin");
    const list = screen.getByTestId("settings-providers");
    expect(list).toHaveTextContent("Built-ingpt-4o-mini · No API key");
    expect(list).toHaveTextContent("DeepSeekdeepseek-chat · API key set");
    // One key form, on the providers page: none here.
    expect(screen.queryByLabelText("API key")).not.toBeInTheDocument();

    await user.selectOptions(select, "DeepSeek");
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "set_settings",
        args: { settings: { ...STORED, defaultProviderId: "p-deepseek" } },
      }),
    );
    await user.click(screen.getByTestId("settings-open-providers"));
    expect(useProvidersPage.getState().open).toBe(true);
    expect(useSettingsDialog.getState().open).toBe(false);
    useProvidersPage.setState({ open: false });
  });

  it("with no provider at all says so and offers the providers page", async () => {
    mockCore({ getSettings: () => STORED, listProviders: () => [] });
    const user = userEvent.setup();
    await renderOpen();

    expect(await screen.findByTestId("settings-no-providers")).toHaveTextContent(
      "No provider is set up",
    );
    expect(screen.getByLabelText("Default provider")).toBeDisabled();
    await user.click(screen.getByTestId("settings-open-providers"));
    expect(useProvidersPage.getState().open).toBe(true);
    useProvidersPage.setState({ open: false });
  });

  it("says why a choice was refused and keeps the one stored", async () => {
    mockCore({
      getSettings: () => STORED,
      setSettings: () =>
        invalidInput(problem("defaultProviderId", "no_such_provider", { value: "p-deepseek" })),
      listProviders: () => [deepseek],
    });
    const user = userEvent.setup();
    await renderOpen();
    const select = screen.getByLabelText("Default provider");
    await waitFor(() => expect(select).toBeEnabled());
    await user.selectOptions(select, "DeepSeek");
    const section = screen.getByTestId("default-provider");
    expect(await within(section).findByText(/This provider no longer exists/)).toBeInTheDocument();
    expect(select).toHaveValue("");
  });
});
