import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { McpServerInput } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { McpDialog } from "../components/McpDialog";
import { useMcp } from "../store/mcpStore";
import { mcpServer } from "./fixtures";

const sentInput = (core: ReturnType<typeof mockCore>, cmd: string) =>
  core.calls.find((c) => c.cmd === cmd)?.args.input as McpServerInput;

describe("MCP servers page", () => {
  beforeEach(() => useMcp.setState({ open: true }));

  it("shows each server's status: running, off, crashed with its countdown, failed with why", async () => {
    mockCore({
      listMcpServers: () => [
        mcpServer({ id: "a", name: "web", status: { state: "running" } }),
        mcpServer({ id: "b", name: "idle", enabled: false }),
        mcpServer({
          id: "c",
          name: "flaky",
          status: { state: "crashed", restarts: 2, nextRetryMs: Date.now() + 4_500 },
        }),
        mcpServer({
          id: "d",
          name: "broken",
          status: { state: "failed", message: "the program uvx was not found" },
        }),
      ],
    });
    const user = userEvent.setup();
    render(<McpDialog />);

    const items = await screen.findAllByTestId("mcp-item");
    const badge = (i: number) => within(items[i]!).getByTestId("mcp-status");
    expect(badge(0)).toHaveTextContent("Running");
    expect(badge(1)).toHaveTextContent("Off");
    expect(badge(2)).toHaveTextContent("Crashed · restart in 5 s");
    expect(badge(2)).toHaveAttribute("title", "Restarted 2 times after a crash");
    expect(badge(3)).toHaveTextContent("Failed");
    expect(badge(3)).toHaveAttribute("title", "the program uvx was not found");
    expect(within(items[1]!).getByRole("switch")).not.toBeChecked();

    await user.click(within(items[3]!).getByTestId("mcp-item-select"));
    expect(screen.getByTestId("mcp-failed")).toHaveTextContent("the program uvx was not found");
  });

  it("checks the form before calling the core", async () => {
    const core = mockCore({ listMcpServers: () => [] });
    const user = userEvent.setup();
    render(<McpDialog />);

    await user.click(await screen.findByTestId("mcp-save"));
    expect(screen.getByTestId("mcp-error-name")).toHaveTextContent("Enter a name.");
    expect(screen.getByTestId("mcp-error-command")).toHaveTextContent("Enter the command");
    expect(screen.getByTestId("mcp-command")).toHaveAttribute("aria-invalid", "true");

    await user.type(screen.getByTestId("mcp-name"), "files");
    await user.type(screen.getByTestId("mcp-command"), "npx");
    await user.clear(screen.getByTestId("mcp-timeout"));
    await user.type(screen.getByTestId("mcp-timeout"), "0");
    await user.click(screen.getByTestId("mcp-env-add"));
    await user.type(screen.getByTestId("mcp-env-name"), "API_KEY");
    await user.click(screen.getByTestId("mcp-save"));

    expect(screen.queryByTestId("mcp-error-name")).not.toBeInTheDocument();
    expect(screen.getByTestId("mcp-error-callTimeoutSecs")).toHaveTextContent("1 to 3600");
    // A name like API_KEY is always secret, and a new secret needs its value.
    expect(screen.getByTestId("mcp-env-secret")).toBeChecked();
    expect(screen.getByTestId("mcp-error-env")).toHaveTextContent("value of each new secret");
    expect(core.calls.some((c) => c.cmd === "create_mcp_server")).toBe(false);
  });

  it("places the core's problems at their fields, naming the row or line", async () => {
    const core = mockCore({
      listMcpServers: () => [],
      createMcpServer: () =>
        invalidInput(
          problem("env.1BAD", "invalid_env_name"),
          problem("args.1", "too_long", { max: 8192 }),
        ),
    });
    const user = userEvent.setup();
    render(<McpDialog />);

    await user.type(await screen.findByTestId("mcp-name"), "files");
    await user.type(screen.getByTestId("mcp-command"), "npx");
    // The blank line is not sent: the core's `args.1` is the third line.
    await user.type(screen.getByTestId("mcp-args"), "-y{Enter}{Enter}server");
    await user.click(screen.getByTestId("mcp-env-add"));
    await user.type(screen.getByTestId("mcp-env-name"), "1BAD");
    await user.type(screen.getByTestId("mcp-env-value"), "x");
    await user.click(screen.getByTestId("mcp-save"));

    expect(await screen.findByTestId("mcp-error-env")).toHaveTextContent(
      "1BAD: Not an environment variable name",
    );
    expect(screen.getByTestId("mcp-error-args")).toHaveTextContent("Line 3: Too long");
    const input = sentInput(core, "create_mcp_server");
    expect(input.transport).toEqual({
      type: "stdio",
      command: "npx",
      args: ["-y", "server"],
      cwd: null,
      env: { "1BAD": { value: "x", secret: false } },
    });
  });

  it("says a taken name is another server's", async () => {
    mockCore({
      listMcpServers: () => [],
      createMcpServer: () => invalidInput(problem("name", "taken", { value: "files" })),
    });
    const user = userEvent.setup();
    render(<McpDialog />);
    await user.click(await screen.findByTestId("mcp-transport-http"));
    await user.type(screen.getByTestId("mcp-name"), "files");
    await user.type(screen.getByTestId("mcp-url"), "https://example.com/mcp");
    await user.click(screen.getByTestId("mcp-save"));
    expect(await screen.findByTestId("mcp-error-name")).toHaveTextContent(
      "“files” is already the name of another server.",
    );
  });

  it("keeps a stored secret header when its value is left empty, and the switch as it was", async () => {
    const stored = mcpServer({
      enabled: false,
      transport: {
        type: "http",
        url: "https://example.com/mcp",
        headers: {
          Authorization: { kind: "secret", status: { set: true, last4: "9f2c" } },
          "X-Team": { kind: "plain", value: "blue" },
        },
      },
    });
    const core = mockCore({ listMcpServers: () => [stored], updateMcpServer: () => stored });
    const user = userEvent.setup();
    render(<McpDialog />);

    const values = await screen.findAllByTestId("mcp-header-value");
    expect(values[0]).toHaveAttribute("placeholder", "Stored (…9f2c); leave empty to keep");
    expect(values[0]).toHaveAttribute("type", "password");
    await user.click(screen.getByTestId("mcp-save"));

    await waitFor(() => expect(sentInput(core, "update_mcp_server")).toBeDefined());
    const input = sentInput(core, "update_mcp_server");
    expect(input.enabled).toBe(false);
    expect(input.transport).toEqual({
      type: "http",
      url: "https://example.com/mcp",
      headers: {
        Authorization: { value: null, secret: true },
        "X-Team": { value: "blue", secret: false },
      },
    });
  });

  it("turns a server off with its switch, and tells why when that fails", async () => {
    let fails = false;
    const core = mockCore({
      listMcpServers: () => [mcpServer()],
      setMcpServerEnabled: (id, enabled) =>
        fails ? appError("database") : mcpServer({ id, enabled }),
    });
    const user = userEvent.setup();
    render(<McpDialog />);

    const toggle = await screen.findByRole("switch", { name: "Use files" });
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(core.calls.find((c) => c.cmd === "set_mcp_server_enabled")?.args).toEqual({
      id: "m1",
      enabled: false,
    });
    expect(within(screen.getByTestId("mcp-item")).getByTestId("mcp-status")).toHaveTextContent(
      "Off",
    );

    fails = true;
    await user.click(toggle);
    expect(await screen.findByRole("alert")).toHaveTextContent(/database/i);
    expect(toggle).not.toBeChecked();
  });

  it("tests a server and lists what it offers; shows its log as plain lines", async () => {
    mockCore({
      listMcpServers: () => [mcpServer()],
      testMcpServer: () => ({
        serverName: "secure-filesystem-server",
        serverVersion: "0.2.0",
        tools: [{ name: "read_file", description: "Read a file" }],
        resources: [],
        prompts: [{ name: "<b>summary</b>", description: null }],
      }),
      mcpServerLog: () => ["<script>alert(1)</script>", "Allowed directories: [ '/tmp' ]"],
    });
    const user = userEvent.setup();
    render(<McpDialog />);

    await user.click(await screen.findByTestId("mcp-test"));
    expect(await screen.findByText("Connected to secure-filesystem-server 0.2.0.")).toBeVisible();
    expect(screen.getByTestId("mcp-tools")).toHaveTextContent("read_fileRead a file");
    expect(screen.getByTestId("mcp-resources")).toHaveTextContent("None.");
    expect(screen.getByTestId("mcp-prompts")).toHaveTextContent("<b>summary</b>");

    await user.click(screen.getByTestId("mcp-log"));
    const log = await screen.findByTestId("mcp-log-lines");
    expect(log.textContent).toBe("<script>alert(1)</script>\nAllowed directories: [ '/tmp' ]");
    expect(log.querySelector("script")).toBeNull();
  });

  it("deletes a server after asking", async () => {
    const core = mockCore({ listMcpServers: () => [mcpServer()], deleteMcpServer: () => null });
    const user = userEvent.setup();
    render(<McpDialog />);

    await user.click(await screen.findByTestId("mcp-delete"));
    expect(screen.getByText("Delete “files” and its stored secrets?")).toBeVisible();
    await user.click(screen.getByTestId("mcp-delete-confirm"));
    expect(await screen.findByTestId("mcp-none")).toBeVisible();
    expect(core.calls.find((c) => c.cmd === "delete_mcp_server")?.args).toEqual({ id: "m1" });
  });
});
