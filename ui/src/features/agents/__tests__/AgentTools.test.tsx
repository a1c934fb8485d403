import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { AgentInput } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { testAgent } from "../../../test/fixtures";
import { useMcp } from "../../mcp/store/mcpStore";
import { mcpServer } from "../../mcp/__tests__/fixtures";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";

const servers = [
  mcpServer({ id: "web", name: "Web tools", status: { state: "running" } }),
  mcpServer({ id: "files", name: "files" }),
];
const info = {
  serverName: "web",
  serverVersion: "1.0.0",
  tools: [
    { name: "fetch_page", description: "Fetches a page" },
    { name: "search", description: null },
  ],
  resources: [],
  prompts: [],
};

describe("agent editor: tools", () => {
  beforeEach(() => useAgentEditor.setState({ target: "a1" }));

  it("chooses servers, and per tool on/off and always allow; saves them as lists", async () => {
    const agent = testAgent({
      tools: { servers: ["web", "gone"], disabled: [], alwaysAllowed: ["web/fetch_page"] },
    });
    const core = mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      listMcpServers: () => servers,
      testMcpServer: () => info,
      updateAgent: (_id, input) => ({ ...agent, tools: input.tools ?? {} }),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    const rows = await screen.findAllByTestId("agent-tools-server");
    expect(within(rows[0]!).getByTestId("agent-tools-use")).toBeChecked();
    expect(within(rows[1]!).getByTestId("agent-tools-use")).not.toBeChecked();
    expect(within(rows[0]!).getByTestId("mcp-status")).toHaveTextContent("Running");
    // A server the agent names that no longer exists is listed so it can be taken off.
    expect(screen.getByTestId("agent-tools-missing")).toHaveTextContent("gone");

    // Tools are asked of the server only when shown.
    expect(core.calls.some((c) => c.cmd === "test_mcp_server")).toBe(false);
    await user.click(within(rows[0]!).getByTestId("agent-tools-expand"));
    const tools = await within(rows[0]!).findAllByTestId("agent-tool");
    expect(core.calls.find((c) => c.cmd === "test_mcp_server")?.args).toEqual({ id: "web" });
    const [fetchPage, search] = tools;
    expect(within(fetchPage!).getByTestId("agent-tool-always")).toBeChecked();

    await user.click(within(search!).getByTestId("agent-tool-always"));
    await user.click(within(fetchPage!).getByTestId("agent-tool-on"));
    // A tool left out cannot be always allowed.
    expect(within(fetchPage!).getByTestId("agent-tool-always")).toBeDisabled();
    expect(within(rows[0]!).getByText("1 tool off · 2 always allowed")).toBeVisible();
    await user.click(within(rows[1]!).getByTestId("agent-tools-use"));
    await user.click(within(screen.getByTestId("agent-tools-missing")).getByRole("checkbox"));
    await user.click(screen.getByTestId("agent-save"));

    await waitFor(() => expect(core.calls.some((c) => c.cmd === "update_agent")).toBe(true));
    const input = core.calls.find((c) => c.cmd === "update_agent")?.args.input as AgentInput;
    expect(input.tools).toEqual({
      servers: ["web", "files"],
      disabled: ["web/fetch_page"],
      alwaysAllowed: ["web/fetch_page", "web/search"],
    });
  });

  it("greys a server's tools while the server is not chosen, and shows why tools did not load", async () => {
    let failing = true;
    mockCore({
      listAgents: () => [testAgent()],
      listProviders: () => [],
      listMcpServers: () => servers,
      testMcpServer: () => (failing ? appError("mcp_server", "spawn npx ENOENT") : info),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    const [web] = await screen.findAllByTestId("agent-tools-server");
    await user.click(within(web!).getByTestId("agent-tools-expand"));
    expect(await within(web!).findByRole("alert")).toHaveTextContent("spawn npx ENOENT");

    failing = false;
    await user.click(within(web!).getByRole("button", { name: "Retry" }));
    const [tool] = await within(web!).findAllByTestId("agent-tool");
    expect(within(tool!).getByTestId("agent-tool-on")).toBeDisabled();
  });

  it("offers to set up servers when there are none, and places the core's tools problems", async () => {
    mockCore({
      listAgents: () => [testAgent()],
      listProviders: () => [],
      listMcpServers: () => [],
      updateAgent: () => invalidInput(problem("tools.servers", "too_many", { max: 64 })),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    await user.click(await screen.findByTestId("agent-tools-setup"));
    expect(useMcp.getState().open).toBe(true);
    useMcp.setState({ open: false });

    await user.click(screen.getByTestId("agent-save"));
    expect(await screen.findByTestId("agent-error-tools")).toHaveTextContent(
      "Too many: at most 64.",
    );
    expect(screen.getByTestId("agent-tools")).toContainElement(
      screen.getByTestId("agent-error-tools"),
    );
  });
});
