import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { Agent } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { conversation, message, testAgent } from "../../../test/fixtures";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";

const translator = testAgent({
  appPreset: {
    name: "Translator",
    avatar: "🌐",
    greetings: ["Hi! Send me text to translate.", "I keep the tone."],
    suggestedQuestions: ["Translate “good morning”", "Translate a paragraph"],
  },
});

describe("an empty conversation started from an agent", () => {
  it("shows the greetings and sends a suggested question when its chip is clicked", async () => {
    const conv = conversation({ id: "c9", agentId: "a1", title: "" });
    const core = mockCore({
      getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
      getConversationAgent: () => translator,
      listActiveStreams: () => [],
      listConversations: () => [conv],
      sendMessage: () => "s1",
    });
    const user = userEvent.setup();
    render(<ChatPane />);
    await useChatStore.getState().open("c9");

    const greetings = await screen.findAllByTestId("greeting");
    expect(greetings.map((g) => g.textContent)).toEqual([
      expect.stringContaining("Hi! Send me text to translate."),
      expect.stringContaining("I keep the tone."),
    ]);
    expect(greetings[0]).toHaveTextContent("Greeting · not sent");
    expect(core.calls.find((c) => c.cmd === "get_conversation_agent")?.args).toEqual({
      conversationId: "c9",
    });

    const chips = screen.getAllByTestId("suggested-question");
    expect(chips.map((c) => c.textContent)).toEqual([
      "Translate “good morning”",
      "Translate a paragraph",
    ]);
    await user.click(chips[1]!);

    await waitFor(() =>
      expect(core.calls.find((c) => c.cmd === "send_message")?.args).toMatchObject({
        conversationId: "c9",
        text: "Translate a paragraph",
      }),
    );
    // The chips go; the greetings stay the first bubbles, above the question and the reply.
    await waitFor(() => expect(screen.queryAllByTestId("suggested-question")).toHaveLength(0));
    const transcript = screen.getByTestId("transcript");
    const bubbles = within(transcript).getAllByRole("article");
    expect(bubbles.map((b) => b.getAttribute("data-testid") ?? b.className)).toEqual([
      "greeting",
      "greeting",
      expect.stringContaining("message--pending"),
      "streaming-message",
    ]);
  });

  it("keeps the greetings above a stored history, but not above a partly loaded one", async () => {
    const messages = [
      message({ id: "m1", conversationId: "c5", seq: 1, role: "user", content: "Bonjour" }),
      message({ id: "m2", conversationId: "c5", seq: 2, role: "assistant", content: "Hello" }),
    ];
    let hasMore = false;
    mockCore({
      getConversation: (id) => ({
        conversation: conversation({ id, agentId: "a1" }),
        messages,
        hasMore,
      }),
      getConversationAgent: () => translator,
      listActiveStreams: () => [],
    });
    const { unmount } = render(<ChatPane />);
    await useChatStore.getState().open("c5");
    const transcript = await screen.findByTestId("transcript");
    await waitFor(() => expect(within(transcript).getAllByTestId("greeting")).toHaveLength(2));
    expect(within(transcript).getAllByRole("article")).toHaveLength(4);
    expect(screen.queryByTestId("suggested-question")).not.toBeInTheDocument();
    unmount();

    // Older messages not loaded yet: the greetings come with the start of the conversation.
    hasMore = true;
    render(<ChatPane />);
    await useChatStore.getState().open("c4");
    await waitFor(() => expect(screen.getAllByTestId("message")).toHaveLength(2));
    expect(screen.queryByTestId("greeting")).not.toBeInTheDocument();
  });

  it("names the built-in agent in the interface's language until it is renamed", async () => {
    // What the core stores for the built-in agent.
    const builtin: Agent = {
      ...translator,
      id: "default",
      agentId: "default",
      appPreset: {
        name: "Default",
        description: "General conversation, no preset prompt.",
        avatar: "💬",
      },
      builtin: true,
    };
    let agent = builtin;
    mockCore({
      getConversation: (id) => ({
        conversation: conversation({ id, agentId: "default" }),
        messages: [],
        hasMore: false,
      }),
      getConversationAgent: () => agent,
      listActiveStreams: () => [],
    });
    await act(() => i18n.changeLanguage("zh-CN"));
    const { unmount } = render(<ChatPane />);
    await useChatStore.getState().open("c7");
    expect(await screen.findByRole("heading", { name: "默认" })).toBeInTheDocument();
    expect(screen.getByText("通用对话，没有预设提示词。")).toBeInTheDocument();
    unmount();

    // Renamed, it is the person's name in any language.
    agent = { ...builtin, appPreset: { ...builtin.appPreset, name: "Helper", description: "" } };
    render(<ChatPane />);
    await useChatStore.getState().open("c6");
    expect(await screen.findByRole("heading", { name: "Helper" })).toBeInTheDocument();
    expect(screen.queryByText("通用对话，没有预设提示词。")).not.toBeInTheDocument();
  });

  it("shows no greetings for a conversation without an agent", async () => {
    const conv = conversation({ id: "c8" });
    mockCore({
      getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
      getConversationAgent: () => null,
      listActiveStreams: () => [],
    });
    render(<ChatPane />);
    await useChatStore.getState().open("c8");
    expect(
      await screen.findByRole("heading", { name: "Start a conversation" }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId("greeting")).not.toBeInTheDocument();
  });
});
