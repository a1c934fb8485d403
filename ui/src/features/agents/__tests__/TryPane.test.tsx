import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "@tauri-apps/api/core";
import type { AgentInput, ChatEvent, Message, PromptMessage } from "../../../ipc";
import { appError, channelSender, invalidInput, mockCore, problem } from "../../../test/core";
import { testAgent, message } from "../../../test/fixtures";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";

const agent = testAgent({
  model: "gpt-4o-mini",
  params: { temperature: 0.3 },
  presetMessages: [{ role: "system", content: "You translate." }],
  appPreset: {
    name: "Translator",
    greetings: ["Hi! Send me text."],
    suggestedQuestions: ["Translate 你好", "Translate a poem"],
  },
});

function reply(content: string, state: Message["state"] = "complete"): ChatEvent {
  return {
    event: "done",
    data: {
      message: message({
        id: "r",
        conversationId: "trial-1",
        seq: 1,
        role: "assistant",
        content,
        createdAt: 0,
        state,
      }),
    },
  };
}

/** A `try_agent` handler whose streams the test drives, one per call. */
function trials() {
  const senders: ReturnType<typeof channelSender<ChatEvent>>[] = [];
  return {
    handler: (_draft: AgentInput, _history: PromptMessage[], onEvent: Channel<ChatEvent>) => {
      senders.push(channelSender(onEvent));
      return `s${senders.length}`;
    },
    emit: (event: ChatEvent) => act(() => senders[senders.length - 1]!.send(event)),
  };
}

async function openTry() {
  const user = userEvent.setup();
  render(<AgentEditorDialog />);
  await user.click(await screen.findByTestId("agent-mode-try"));
  return user;
}

describe("the agent editor's try-it pane", () => {
  beforeEach(() => useAgentEditor.setState({ target: "a1" }));

  it("chats with the unsaved draft and stores nothing", async () => {
    const stream = trials();
    const core = mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      tryAgent: stream.handler,
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    // An unsaved change: the try-out must use it.
    const temperature = await screen.findByTestId("agent-param-temperature");
    await user.clear(temperature);
    await user.type(temperature, "1.5");
    await user.click(screen.getByTestId("agent-mode-try"));

    const pane = screen.getByTestId("try-pane");
    expect(within(pane).getByTestId("try-greeting")).toHaveTextContent("Hi! Send me text.");
    expect(within(pane).getByTestId("try-greeting")).toHaveTextContent("Greeting · not sent");
    await user.click(within(pane).getAllByTestId("try-suggested")[0]!);

    const first = core.calls.find((c) => c.cmd === "try_agent")!;
    const draft = first.args.draft as AgentInput;
    expect(draft.params?.temperature).toBe(1.5);
    expect(draft.presetMessages).toEqual([{ role: "system", content: "You translate." }]);
    expect(first.args.history).toEqual([{ role: "user", content: "Translate 你好" }]);

    stream.emit({ event: "delta", data: { text: "Hello" } });
    expect(await within(pane).findByTestId("streaming-message")).toHaveTextContent("Hello");
    expect(screen.getByTestId("try-stop")).toBeInTheDocument();
    stream.emit(reply("Hello"));
    await waitFor(() => expect(screen.queryByTestId("streaming-message")).toBeNull());
    expect(screen.queryByTestId("try-suggested")).toBeNull();

    await user.type(screen.getByTestId("try-input"), "And 再见?{Enter}");
    const second = core.calls.filter((c) => c.cmd === "try_agent")[1]!;
    expect(second.args.history).toEqual([
      { role: "user", content: "Translate 你好" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "And 再见?" },
    ]);
    stream.emit(reply("Goodbye"));
    await waitFor(() =>
      expect(screen.getAllByTestId("try-message").map((m) => m.textContent)).toEqual([
        "Translate 你好",
        "Hello",
        "And 再见?",
        "Goodbye",
      ]),
    );
    expect(
      core.calls.some((c) => ["update_agent", "create_agent", "send_message"].includes(c.cmd)),
    ).toBe(false);

    await user.click(screen.getByTestId("try-clear"));
    expect(screen.queryAllByTestId("try-message")).toHaveLength(0);
    expect(screen.getAllByTestId("try-suggested")).toHaveLength(2);
  });

  it("stops a reply by its stream id, and shows a failed one translated", async () => {
    const stream = trials();
    const core = mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      tryAgent: stream.handler,
      cancelStream: () => null,
    });
    const user = await openTry();

    await user.type(screen.getByTestId("try-input"), "One{Enter}");
    stream.emit({
      event: "started",
      data: {
        streamId: "s1",
        conversationId: "trial-1",
        userMessage: { ...(reply("One") as { data: { message: Message } }).data.message },
        continuesMessageId: null,
        text: "",
      },
    });
    stream.emit({ event: "delta", data: { text: "Partial" } });
    await user.click(await screen.findByTestId("try-stop"));
    expect(core.calls.find((c) => c.cmd === "cancel_stream")?.args).toEqual({ streamId: "s1" });
    stream.emit(reply("Partial", "cancelled"));
    expect(await screen.findByText("Stopped.")).toBeInTheDocument();

    await user.type(screen.getByTestId("try-input"), "Two{Enter}");
    stream.emit({
      event: "error",
      data: { code: "provider_auth", message: "401 from the provider", partialSaved: false },
    });
    const error = await screen.findByTestId("try-error");
    expect(error).toHaveTextContent("The provider rejected your API key.");
    expect(error).toHaveTextContent("401 from the provider");
  });

  it("keeps the question when the core refuses the draft, and says why", async () => {
    mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      tryAgent: () => appError("no_api_key", "no API key for the default provider"),
    });
    const user = await openTry();
    await user.type(screen.getByTestId("try-input"), "Hello?{Enter}");
    expect(await screen.findByTestId("try-failure")).toHaveTextContent(
      "no API key for the default provider",
    );
    expect(screen.getByTestId("try-input")).toHaveValue("Hello?");
    expect(screen.queryAllByTestId("try-message")).toHaveLength(0);
  });

  it("puts the core's problems with the draft beside the fields", async () => {
    mockCore({
      listAgents: () => [agent],
      listProviders: () => [],
      tryAgent: () =>
        invalidInput(problem("params.temperature", "out_of_range", { min: 0, max: 2 })),
    });
    const user = await openTry();
    await user.type(screen.getByTestId("try-input"), "Hi{Enter}");
    const failure = await screen.findByTestId("try-failure");
    // Told in words, not in the core's summary.
    expect(failure).toHaveTextContent("params.temperature: Enter a value from 0 to 2.");
    expect(failure).not.toHaveTextContent("out_of_range");
    await user.click(within(failure).getByRole("button", { name: "Show the fields" }));
    expect(screen.getByTestId("agent-mode-edit")).toBeChecked();
    expect(screen.getByTestId("agent-error-params.temperature")).toHaveTextContent(
      "Enter a value from 0 to 2.",
    );
  });

  it("asks to fix a field that does not parse instead of sending", async () => {
    const core = mockCore({ listAgents: () => [agent], listProviders: () => [] });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);
    await user.type(await screen.findByTestId("agent-param-top_p"), "abc");
    await user.click(screen.getByTestId("agent-mode-try"));
    await user.type(screen.getByTestId("try-input"), "Hi{Enter}");
    expect(screen.getByTestId("try-draft-invalid")).toBeInTheDocument();
    expect(core.calls.some((c) => c.cmd === "try_agent")).toBe(false);
    await user.click(within(screen.getByTestId("try-draft-invalid")).getByRole("button"));
    expect(screen.getByTestId("agent-mode-edit")).toBeChecked();
    expect(screen.getByTestId("agent-error-params.top_p")).toHaveTextContent("Enter a number");
  });
});
