import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { AgentInput } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { conversation, testAgent } from "../../../test/fixtures";
import { ChatPane } from "../../chat/components/ChatPane";
import { useChatStore } from "../../chat/store/chatStore";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";
import { useAgentsStore } from "../store/agentsStore";

const agent = testAgent({
  appPreset: { name: "Translator", avatar: "🌐" },
});

describe("the avatar picker", () => {
  beforeEach(() => useAgentEditor.setState({ target: "a1" }));

  it("picks a common emoji from the grid, or takes any typed one", async () => {
    const core = mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      updateAgent: (_id, input) => ({ ...agent, ...(input as object) }),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    const avatar = await screen.findByTestId("agent-avatar");
    expect(avatar).toHaveValue("🌐");
    const toggle = screen.getByRole("button", { name: "Choose an emoji" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    const panel = screen.getByRole("group", { name: "Common avatars" });
    expect(within(panel).getAllByTestId("emoji-option").length).toBeGreaterThanOrEqual(40);
    await user.click(within(panel).getByRole("button", { name: "🚀" }));
    expect(avatar).toHaveValue("🚀");
    expect(screen.queryByTestId("emoji-panel")).toBeNull();

    await user.click(screen.getByTestId("agent-save"));
    await waitFor(() => expect(core.calls.some((c) => c.cmd === "update_agent")).toBe(true));
    const input = core.calls.find((c) => c.cmd === "update_agent")?.args.input as AgentInput;
    expect(input.appPreset?.avatar).toBe("🚀");

    await user.clear(avatar);
    await user.type(avatar, "🦄");
    expect(avatar).toHaveValue("🦄");
  });
});

describe("the chat header", () => {
  it("names the conversation's agent, follows its edits and opens it in the editor", async () => {
    const conv = conversation({ id: "c1", agentId: "a1", title: "Hello" });
    mockCore({
      getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
      getConversationAgent: () => agent,
      listActiveStreams: () => [],
      listConversations: () => [conv],
    });
    render(<ChatPane />);
    await act(() => useChatStore.getState().open("c1"));

    const badge = await screen.findByTestId("chat-agent");
    expect(badge).toHaveTextContent("🌐Translator");
    expect(badge).toHaveAccessibleName("Edit Translator");

    act(() =>
      useAgentsStore.getState().put({ ...agent, appPreset: { name: "Interpreter", avatar: "🗣️" } }),
    );
    expect(badge).toHaveTextContent("🗣️Interpreter");

    await userEvent.setup().click(badge);
    expect(useAgentEditor.getState().target).toBe("a1");
  });

  it("shows no agent for a conversation without one", async () => {
    const conv = conversation({ id: "c2", title: "Plain" });
    mockCore({
      getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
      getConversationAgent: () => null,
      listActiveStreams: () => [],
      listConversations: () => [conv],
    });
    render(<ChatPane />);
    await act(() => useChatStore.getState().open("c2"));
    expect(await screen.findByRole("heading", { name: "Plain" })).toBeInTheDocument();
    expect(screen.queryByTestId("chat-agent")).toBeNull();
  });
});
