import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { Provider } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { ProvidersDialog } from "../components/ProvidersDialog";
import { useProvidersPage } from "../store/providersPageStore";

function provider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: "p1",
    name: "OpenAI",
    kind: "openai-compatible",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4o-mini",
    extraHeaders: {},
    secretHeaders: {},
    keySet: false,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

const presets = [
  {
    id: "deepseek",
    name: "DeepSeek",
    baseUrl: "https://api.deepseek.com/v1",
    defaultModel: "deepseek-chat",
    needsKey: true,
  },
];

describe("ProvidersDialog", () => {
  beforeEach(() => useProvidersPage.setState({ open: true }));

  it("checks the form before calling the core and shows each error beside its field", async () => {
    const core = mockCore({
      listProviders: () => [],
      listProviderPresets: () => presets,
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    await user.click(await screen.findByTestId("provider-save"));
    expect(screen.getByTestId("provider-error-name")).toHaveTextContent("Enter a name.");
    expect(screen.getByTestId("provider-name")).toHaveAttribute("aria-invalid", "true");

    await user.type(screen.getByTestId("provider-name"), "Local");
    await user.type(screen.getByTestId("provider-base-url-input"), "localhost:8080");
    await user.type(screen.getByTestId("provider-model-input"), "llama");
    await user.click(screen.getByTestId("provider-header-add"));
    const row = screen.getByTestId("provider-header-row");
    await user.type(within(row).getByLabelText("Value"), "abc");
    await user.click(screen.getByTestId("provider-save"));

    expect(screen.queryByTestId("provider-error-name")).not.toBeInTheDocument();
    expect(screen.getByTestId("provider-error-baseUrl")).toHaveTextContent("http://");
    expect(screen.getByTestId("provider-error-headers")).toBeInTheDocument();
    expect(core.calls.some((c) => c.cmd === "create_provider")).toBe(false);
  });

  it("fills a new provider from a preset and places the core's field error", async () => {
    const core = mockCore({
      listProviders: () => [],
      listProviderPresets: () => presets,
      createProvider: () => invalidInput(problem("baseUrl", "url_no_host")),
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    // With none yet, the list says so and points at the presets.
    expect(await screen.findByTestId("providers-none")).toHaveTextContent("No provider yet.");
    await user.selectOptions(screen.getByTestId("provider-preset"), "deepseek");
    expect(screen.getByTestId("provider-name")).toHaveValue("DeepSeek");
    expect(screen.getByTestId("provider-base-url-input")).toHaveValue(
      "https://api.deepseek.com/v1",
    );
    expect(screen.getByTestId("provider-model-input")).toHaveValue("deepseek-chat");

    await user.click(screen.getByTestId("provider-save"));
    expect(await screen.findByTestId("provider-error-baseUrl")).toHaveTextContent(
      "The URL needs a host name.",
    );
    expect(core.calls.find((c) => c.cmd === "create_provider")?.args.input).toMatchObject({
      name: "DeepSeek",
      baseUrl: "https://api.deepseek.com/v1",
      defaultModel: "deepseek-chat",
    });
  });

  it("keeps secret headers secret: marked by name, last four shown, kept when not retyped", async () => {
    const core = mockCore({
      listProviders: () => [
        provider({
          extraHeaders: { "X-Title": "Confab" },
          secretHeaders: { "api-key": { set: true, last4: "7f2c" } },
        }),
      ],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: false, last4: null }),
      updateProvider: (id) => provider({ id }),
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    const rows = await screen.findAllByTestId("provider-header-row");
    expect(rows).toHaveLength(2);
    const stored = rows[1]!;
    const storedValue = within(stored).getByTestId("provider-header-value");
    expect(storedValue).toHaveValue("");
    expect(storedValue).toHaveAttribute("type", "password");
    expect(storedValue).toHaveAttribute("placeholder", "Stored (…7f2c); leave empty to keep");
    // A credential-looking name is secret whatever the box says.
    expect(within(stored).getByTestId("provider-header-secret")).toBeChecked();
    expect(within(stored).getByTestId("provider-header-secret")).toBeDisabled();
    expect(within(rows[0]!).getByTestId("provider-header-secret")).not.toBeChecked();

    // A new header named like a credential turns secret as it is typed; another is marked.
    await user.click(screen.getByTestId("provider-header-add"));
    await user.click(screen.getByTestId("provider-header-add"));
    const [, , token, tenant] = screen.getAllByTestId("provider-header-row");
    await user.type(within(token!).getByLabelText("Header name"), "X-Auth-Token");
    await user.type(within(token!).getByTestId("provider-header-value"), "tok-123456");
    expect(within(token!).getByTestId("provider-header-value")).toHaveAttribute("type", "password");
    await user.type(within(tenant!).getByLabelText("Header name"), "X-Tenant");
    await user.type(within(tenant!).getByTestId("provider-header-value"), "tenant-42");
    await user.click(within(tenant!).getByTestId("provider-header-secret"));
    await user.click(screen.getByTestId("provider-save"));

    await waitFor(() => expect(core.calls.some((c) => c.cmd === "update_provider")).toBe(true));
    expect(core.calls.find((c) => c.cmd === "update_provider")?.args.input).toMatchObject({
      extraHeaders: { "X-Title": "Confab" },
      secretHeaders: { "api-key": null, "X-Auth-Token": "tok-123456", "X-Tenant": "tenant-42" },
    });
  });

  it("asks for the value of a new secret header", async () => {
    const core = mockCore({
      listProviders: () => [provider()],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: false, last4: null }),
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);
    await user.click(await screen.findByTestId("provider-header-add"));
    await user.type(screen.getByLabelText("Header name"), "x-api-key");
    await user.click(screen.getByTestId("provider-save"));
    expect(screen.getByTestId("provider-error-headers")).toHaveTextContent(
      "Enter the value of each new secret header.",
    );
    expect(core.calls.some((c) => c.cmd === "update_provider")).toBe(false);
  });

  it("never shows more of the key than its last four characters", async () => {
    const secret = "sk-very-secret-value-9f3c";
    let last4: string | null = null;
    mockCore({
      listProviders: () => [provider({ keySet: last4 !== null })],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: last4 !== null, last4 }),
      setProviderApiKey: (_id, key) => {
        last4 = key.slice(-4);
        return { set: true, last4 };
      },
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    const status = await screen.findByTestId("provider-key-status");
    await waitFor(() => expect(status).toHaveTextContent("Not set"));
    expect(screen.queryByTestId("providers-none")).not.toBeInTheDocument();
    const input = screen.getByTestId("provider-key-input");
    expect(input).toHaveAttribute("type", "password");
    await user.type(input, secret);
    await user.click(screen.getByTestId("provider-key-save"));

    await waitFor(() =>
      expect(screen.getByTestId("provider-key-status")).toHaveTextContent("Set · ••••9f3c"),
    );
    expect(screen.getByTestId("provider-key-input")).toHaveValue("");
    expect(document.body.innerHTML).not.toContain(secret);
    expect(document.body.innerHTML).not.toContain("very-secret");
  });

  it("shows the connection test's model count and latency, or the translated error", async () => {
    let fail = false;
    mockCore({
      listProviders: () => [provider({ keySet: true })],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: true, last4: "1234" }),
      testProviderConnection: () =>
        fail
          ? appError("provider_auth", "401 Unauthorized")
          : { models: [{ id: "a" }, { id: "b" }, { id: "c" }], latencyMs: 182.4 },
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    await user.click(await screen.findByTestId("provider-test"));
    expect(await screen.findByText("Connected: 3 models, 182 ms.")).toBeInTheDocument();

    fail = true;
    await user.click(screen.getByTestId("provider-test"));
    const result = screen.getByTestId("provider-test-result");
    await waitFor(() => expect(within(result).getByRole("alert")).toHaveTextContent("API key"));
    expect(result).toHaveTextContent("401 Unauthorized");
  });

  it("places a header's problem under the headers, naming the header, in both languages", async () => {
    mockCore({
      listProviders: () => [provider()],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: false, last4: null }),
      updateProvider: () =>
        invalidInput(
          problem("headers.X-Trace", "invalid_header_value"),
          problem("baseUrl", "plain_http", { value: "example.com" }),
        ),
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);
    await user.click(await screen.findByTestId("provider-save"));
    const headers = await screen.findByTestId("provider-error-headers");
    expect(headers).toHaveTextContent("X-Trace: Not a valid header value.");
    expect(screen.getByTestId("provider-error-baseUrl")).toHaveTextContent(
      "Plain http:// to example.com would send your key",
    );
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(headers).toHaveTextContent("X-Trace: 请求头的值无效。");
    expect(screen.getByTestId("provider-error-baseUrl")).toHaveTextContent(
      "通过明文 http:// 连接 example.com",
    );
  });

  it("shows the core's in-use message when a provider cannot be deleted", async () => {
    mockCore({
      listProviders: () => [provider()],
      listProviderPresets: () => [],
      getProviderKeyStatus: () => ({ set: false, last4: null }),
      deleteProvider: () =>
        appError("invalid_input", "provider is in use by agents: Translator, Coder"),
    });
    const user = userEvent.setup();
    render(<ProvidersDialog />);

    await user.click(await screen.findByTestId("provider-delete"));
    await user.click(screen.getByTestId("provider-delete-confirm"));
    expect(await screen.findByTestId("provider-delete-error")).toHaveTextContent(
      "provider is in use by agents: Translator, Coder",
    );
  });
});
