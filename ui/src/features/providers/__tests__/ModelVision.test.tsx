import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { ModelCapabilities, Provider } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { ProvidersDialog } from "../components/ProvidersDialog";
import { useProvidersPage } from "../store/providersPageStore";

const local: Provider = {
  id: "p1",
  name: "Local",
  kind: "openai-compatible",
  baseUrl: "http://127.0.0.1:11434/v1",
  defaultModel: "llama3.1",
  extraHeaders: {},
  secretHeaders: {},
  keySet: false,
  createdAt: 0,
  updatedAt: 0,
};

/** A core that knows llama3.1 as text-only until told otherwise. */
function visionCore() {
  let said: boolean | null = null;
  const capabilities = (): ModelCapabilities =>
    said === null ? { vision: false, source: "guess" } : { vision: said, source: "user" };
  return mockCore({
    listProviders: () => [local],
    listProviderPresets: () => [],
    getProviderKeyStatus: () => ({ set: false, last4: null }),
    modelCapabilities: capabilities,
    setModelVision: (_providerId, _model, vision) => {
      said = vision;
      return capabilities();
    },
  });
}

describe("a provider's model and images", () => {
  beforeEach(async () => {
    useProvidersPage.setState({ open: true });
    await i18n.changeLanguage("en");
  });

  it("says what Confab thinks, and takes the person's word, and takes it back", async () => {
    const core = visionCore();
    const user = userEvent.setup();
    render(<ProvidersDialog />);
    const field = await screen.findByTestId("provider-model-vision");
    await waitFor(() => expect(field).toBeEnabled());
    expect(field).toHaveValue("auto");
    expect(screen.getByText("Can llama3.1 see images?")).toBeInTheDocument();
    expect(screen.getByTestId("provider-model-vision-hint")).toHaveTextContent(
      "a message with pictures is stopped before it is sent",
    );

    await user.selectOptions(field, "yes");
    await waitFor(() => expect(field).toHaveValue("yes"));
    expect(screen.queryByTestId("provider-model-vision-hint")).not.toBeInTheDocument();
    const set = core.calls.filter((c) => c.cmd === "set_model_vision");
    expect(set.at(-1)?.args).toEqual({ providerId: "p1", model: "llama3.1", vision: true });

    await user.selectOptions(field, "auto");
    await waitFor(() => expect(field).toHaveValue("auto"));
    expect(core.calls.filter((c) => c.cmd === "set_model_vision").at(-1)?.args).toEqual({
      providerId: "p1",
      model: "llama3.1",
      vision: null,
    });
    expect(core.calls.some((c) => c.cmd === "update_provider")).toBe(false);
  });

  it("is in Chinese too", async () => {
    visionCore();
    await i18n.changeLanguage("zh-CN");
    render(<ProvidersDialog />);
    expect(await screen.findByText("llama3.1 能识别图片吗？")).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId("provider-model-vision-hint")).toHaveTextContent("带图片的消息"),
    );
    await i18n.changeLanguage("en");
  });
});
