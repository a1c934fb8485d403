import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { McpPrompt, McpResource } from "../../../../ipc";
import { showConversation } from "../../../../test/chat";
import { appError, attachmentCore, mockCore, type Handlers } from "../../../../test/core";
import { conversation, testAgent } from "../../../../test/fixtures";
import { DEFAULT_PREFERENCES, usePreferences } from "../../../settings/store/preferencesStore";
import { ChatPane } from "../../components/ChatPane";
import { useChatStore } from "../../store/chatStore";

const server = { serverId: "srv", serverName: "everything" };
const PROMPTS: McpPrompt[] = [
  {
    ...server,
    name: "weather",
    description: "The weather in a city",
    arguments: [
      { name: "city", description: "Name of the city", required: true },
      { name: "state", description: null, required: false },
    ],
  },
  { ...server, name: "summary", description: "Sums up the conversation", arguments: [] },
  { ...server, name: "review-code", description: null, arguments: [] },
];
const RESOURCES: McpResource[] = [
  {
    ...server,
    uri: "demo://notes.md",
    name: "notes.md",
    description: "Meeting notes",
    mime: "text/markdown",
  },
  {
    ...server,
    uri: "demo://handbook.pdf",
    name: "handbook.pdf",
    description: null,
    mime: "application/pdf",
  },
  { ...server, uri: "demo://blob", name: "blob.bin", description: null, mime: null },
];

const agent = testAgent({ tools: { servers: ["srv"] } });

/** The chat pane on a conversation whose agent has an MCP server (Tools on unless said). */
function setup(extra: Handlers = {}, { toolsEnabled = true } = {}) {
  const attachments = attachmentCore(300);
  const core = mockCore({
    ...attachments.handlers,
    listConversations: () => [],
    listProviders: () => [],
    mcpPrompts: () => PROMPTS,
    mcpResources: () => RESOURCES,
    mcpPromptText: (_serverId, name, values) =>
      name === "weather"
        ? `Weather in ${values.city}${values.state ? `, ${values.state}` : ""}`
        : `Please ${name}.`,
    attachMcpResource: (attachId, _serverId, uri, name) =>
      attachments.handlers.attachBytes(attachId, name, btoa(`read from ${uri}`)),
    ...extra,
  });
  const conv = conversation({ id: "c1", agentId: agent.id, toolsEnabled });
  showConversation(conv, []);
  useChatStore.setState({ agent });
  usePreferences.setState({ value: DEFAULT_PREFERENCES, status: "ready" });
  const user = userEvent.setup();
  render(<ChatPane />);
  const calls = (cmd: string) => core.calls.filter((c) => c.cmd === cmd);
  return { user, calls, input: screen.getByTestId("message-input") };
}

const options = () => screen.getAllByRole("option").map((o) => o.textContent);
const selected = () => screen.getByRole("option", { selected: true }).textContent;

describe("prompts as / commands", () => {
  it("lists the prompts once, filters them as you type, and follows the keys", async () => {
    const { user, calls, input } = setup();
    await user.type(input, "/");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(3));
    expect(options()[0]).toBe("/weathereverythingThe weather in a city");
    expect(input).toHaveAttribute("aria-activedescendant", screen.getAllByRole("option")[0]!.id);

    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(selected()).toMatch(/^\/review-code/);
    await user.keyboard("{ArrowDown}");
    expect(selected()).toMatch(/^\/weather/);
    await user.keyboard("{ArrowUp}");
    expect(selected()).toMatch(/^\/review-code/);

    // Names starting with the query come first, then those holding it.
    await user.type(input, "e");
    expect(options().map((o) => o?.split("everything")[0])).toEqual(["/weather", "/review-code"]);
    await user.type(input, "xyz");
    expect(screen.getByTestId("prompt-menu-state")).toHaveTextContent("No prompt matches “/exyz”.");

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    await user.type(input, "{Backspace}{Backspace}{Backspace}");
    expect(screen.getByTestId("prompt-menu")).toBeInTheDocument();
    // A space ends the command: the draft is text again.
    await user.type(input, " and more");
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    await user.type(
      input,
      "{Backspace}{Backspace}{Backspace}{Backspace}{Backspace}{Backspace}{Backspace}{Backspace}{Backspace}",
    );
    expect(screen.getByTestId("prompt-menu")).toBeInTheDocument();
    // Elsewhere, the menu would only hide the transcript.
    await user.click(screen.getByTestId("attach-button"));
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    expect(calls("mcp_prompts")).toEqual([{ cmd: "mcp_prompts", args: { conversationId: "c1" } }]);
  });

  it("puts a prompt without arguments in place of the /word, ready to edit", async () => {
    const { user, calls, input } = setup();
    await user.type(input, "/sum");
    await screen.findByRole("option");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(input).toHaveValue("Please summary."));
    expect(calls("mcp_prompt_text")[0]?.args).toEqual({
      serverId: "srv",
      name: "summary",
      values: {},
    });
    expect(calls("send_message")).toEqual([]);
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    expect(input).toHaveFocus();
  });

  it("asks for the arguments, the required ones before the server is asked", async () => {
    const { user, calls, input } = setup();
    await user.type(input, "/wea");
    await screen.findByRole("option");
    await user.keyboard("{Tab}");
    const form = screen.getByRole("group", { name: "/weather" });
    const city = within(form).getByRole("textbox", { name: "city required" });
    expect(city).toHaveFocus();
    expect(city).toHaveAttribute("aria-required", "true");

    await user.click(within(form).getByRole("button", { name: "Insert" }));
    expect(city).toHaveAttribute("aria-invalid", "true");
    expect(city).toHaveAccessibleDescription("Fill in city: the prompt needs it. Name of the city");
    expect(calls("mcp_prompt_text")).toEqual([]);

    await user.type(city, "Lisbon{Enter}");
    await waitFor(() => expect(input).toHaveValue("Weather in Lisbon"));
    // The optional argument left empty is not sent.
    expect(calls("mcp_prompt_text")[0]?.args).toEqual({
      serverId: "srv",
      name: "weather",
      values: { city: "Lisbon" },
    });
    expect(screen.queryByTestId("prompt-form")).not.toBeInTheDocument();
  });

  it("says why a server refused a prompt, and keeps the values to try again", async () => {
    const { user, input } = setup({
      mcpPromptText: () => appError("mcp_server", "city must be a real place"),
    });
    await user.type(input, "/wea{Enter}");
    await user.type(screen.getByRole("textbox", { name: "city required" }), "Atlantis{Enter}");
    const alert = await screen.findByTestId("prompt-error");
    expect(alert).toHaveTextContent(
      "The prompt could not be used. The MCP server could not be started or reached.",
    );
    expect(alert).toHaveTextContent("city must be a real place");
    expect(screen.getByRole("textbox", { name: "city required" })).toHaveValue("Atlantis");
    expect(input).toHaveValue("/wea");

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("prompt-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    expect(input).toHaveFocus();
  });

  it("says so when the prompts cannot be listed", async () => {
    const { user, input } = setup({ mcpPrompts: () => appError("mcp_server") });
    await user.type(input, "/");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /^The prompts could not be loaded\. The MCP server could not be started/,
    );
  });

  it("asks nothing while the Tools switch is off, and again once it is turned on", async () => {
    const { user, calls, input } = setup({}, { toolsEnabled: false });
    await user.type(input, "/");
    expect(screen.queryByTestId("prompt-menu")).not.toBeInTheDocument();
    expect(screen.queryByTestId("resources-button")).not.toBeInTheDocument();
    expect(calls("mcp_prompts")).toEqual([]);
    expect(calls("mcp_resources")).toEqual([]);

    const detail = useChatStore.getState().detail!;
    act(() =>
      useChatStore.setState({
        detail: { ...detail, conversation: { ...detail.conversation, toolsEnabled: true } },
      }),
    );
    await screen.findByTestId("resources-button");
    await user.type(input, "s");
    await screen.findByRole("option");
    expect(calls("mcp_prompts")).toHaveLength(1);
  });
});

describe("resources attached like files", () => {
  it("lists the resources and attaches the one picked as a chip", async () => {
    const { user, calls, input } = setup();
    await user.click(
      await screen.findByRole("button", { name: "Attach a resource from the tools" }),
    );
    const menu = screen.getByRole("menu", { name: "Resources" });
    const items = within(menu).getAllByRole("menuitem");
    expect(items.map((i) => i.textContent)).toEqual([
      "notes.mdeverythingtext/markdownMeeting notes",
      "handbook.pdfeverythingapplication/pdf",
      "blob.bineverything",
    ]);
    expect(items[0]).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    expect(items[2]).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(screen.getByTestId("resources-button")).toHaveFocus();

    await user.keyboard("{Enter}");
    await user.click(screen.getByRole("menuitem", { name: /^notes\.md/ }));
    expect(input).toHaveFocus();
    const chip = await screen.findByTestId("attachment");
    expect(chip).toHaveTextContent("notes.md");
    const call = calls("attach_mcp_resource")[0]!.args as Record<string, string>;
    expect(call).toMatchObject({ serverId: "srv", uri: "demo://notes.md", name: "notes.md" });
    expect(call.attachId).toMatch(/^attach-/);
    expect(calls("mcp_resources")).toHaveLength(1);
  });

  it("cancels a resource being read, and tells why one was refused", async () => {
    const { user, calls } = setup();
    await user.click(await screen.findByTestId("resources-button"));
    await user.click(screen.getByRole("menuitem", { name: /^handbook\.pdf/ }));
    const reading = await screen.findByTestId("attachment-reading");
    expect(reading).toHaveTextContent("handbook.pdf");
    await user.click(screen.getByRole("button", { name: "Stop reading handbook.pdf" }));
    expect(screen.queryByTestId("attachment-reading")).not.toBeInTheDocument();
    const attachId = (calls("attach_mcp_resource")[0]!.args as { attachId: string }).attachId;
    expect(calls("cancel_attach")).toEqual([{ cmd: "cancel_attach", args: { attachId } }]);

    await user.click(screen.getByTestId("resources-button"));
    await user.click(screen.getByRole("menuitem", { name: /^blob\.bin/ }));
    expect(await screen.findByTestId("attachment-error")).toHaveTextContent(
      /^“blob\.bin” was not attached/,
    );
    expect(screen.queryByTestId("attachment")).not.toBeInTheDocument();
  });

  it("shows no Resources button when the servers have none", async () => {
    const { calls } = setup({ mcpResources: () => [] });
    await waitFor(() => expect(calls("mcp_resources")).toHaveLength(1));
    expect(screen.queryByTestId("resources-button")).not.toBeInTheDocument();
  });
});
