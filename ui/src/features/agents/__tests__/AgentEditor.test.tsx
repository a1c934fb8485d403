import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { Agent, AgentInput } from "../../../ipc";
import { invalidInput, mockCore, problem } from "../../../test/core";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";

function agent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: "a1",
    agentId: "translator",
    providerId: null,
    model: null,
    params: { temperature: 0.3 },
    presetMessages: [
      { role: "system", content: "You translate." },
      { role: "user", content: "Example question" },
      { role: "assistant", content: "Example answer" },
    ],
    appPreset: { name: "Translator", avatar: "🌐", greetings: ["Hi!"], extra: { future_key: 7 } },
    contextPolicy: { maxMessages: 20 },
    tools: {},
    builtin: false,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

const builtin = agent({
  id: "default",
  agentId: "default",
  builtin: true,
  presetMessages: [],
  appPreset: { name: "Assistant" },
});

describe("agent editor", () => {
  beforeEach(() => useAgentEditor.setState({ target: "a1" }));

  it("shows each of the core's field errors next to its field", async () => {
    const tools = { servers: ["web"], alwaysAllowed: ["web/fetch_page"] };
    const core = mockCore({
      listAgents: () => [builtin, agent({ tools })],
      listProviders: () => [],
      updateAgent: () =>
        invalidInput(
          problem("agentId", "invalid_slug", { max: 64, value: "x y" }),
          problem("params.temperature", "out_of_range", { min: 0, max: 2 }),
          problem("presetMessages.1.content", "required"),
          problem("", "nothing_to_answer"),
        ),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    const temperature = await screen.findByTestId("agent-param-temperature");
    await user.clear(temperature);
    await user.type(temperature, "5");
    await user.click(screen.getByTestId("agent-save"));

    expect(await screen.findByTestId("agent-error-agent_id")).toHaveTextContent(
      "Use 1 to 64 lowercase letters",
    );
    // Each message sits in the same form field as the control it names.
    expect(screen.getByTestId("agent-error-agent_id").closest(".form-field")).toContainElement(
      screen.getByTestId("agent-slug"),
    );
    expect(
      screen.getByTestId("agent-error-params.temperature").closest(".form-field"),
    ).toContainElement(temperature);
    expect(temperature).toHaveAttribute("aria-invalid", "true");
    expect(screen.getAllByTestId("preset-message")[1]).toContainElement(
      screen.getByTestId("agent-error-preset_messages[1]"),
    );
    expect(screen.getByTestId("agent-other-errors")).toHaveTextContent(
      "There is no message of yours to answer.",
    );

    const input = core.calls.find((c) => c.cmd === "update_agent")?.args.input as AgentInput;
    expect(input.params?.temperature).toBe(5);
    // Empty parameter fields are sent as unset; unknown preset keys survive.
    expect(input.params?.topP).toBeUndefined();
    expect(input.appPreset?.extra?.future_key).toBe(7);
    // The agent's tools, left as they were, go back with every list present.
    expect(input.tools).toEqual({ ...tools, disabled: [] });
  });

  it("catches a number that does not parse before calling the core", async () => {
    const core = mockCore({ listAgents: () => [agent()], listProviders: () => [] });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    await user.type(await screen.findByTestId("agent-param-top_p"), "abc");
    await user.click(screen.getByTestId("agent-save"));
    expect(screen.getByTestId("agent-error-params.top_p")).toHaveTextContent("Enter a number");
    expect(core.calls.some((c) => c.cmd === "update_agent")).toBe(false);
  });

  it("reorders, edits and removes preset messages, and saves them in that order", async () => {
    const core = mockCore({
      listAgents: () => [agent()],
      listProviders: () => [],
      updateAgent: (_id, input) => ({ ...agent(), ...(input as object) }),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    await screen.findAllByTestId("preset-message");
    const rows = () => screen.getAllByTestId("preset-message");
    expect(within(rows()[0]!).getByTestId("preset-message-up")).toBeDisabled();

    await user.click(within(rows()[2]!).getByTestId("preset-message-up"));
    await user.click(within(rows()[0]!).getByTestId("preset-message-down"));
    expect(rows().map((r) => within(r).getByTestId("preset-message-content"))).toHaveLength(3);
    expect(
      rows().map((r) => within(r).getByTestId<HTMLTextAreaElement>("preset-message-content").value),
    ).toEqual(["Example answer", "You translate.", "Example question"]);

    await user.selectOptions(within(rows()[2]!).getByTestId("preset-message-role"), "assistant");
    await user.click(within(rows()[0]!).getByTestId("preset-message-remove"));
    await user.click(screen.getByTestId("preset-message-add"));
    await user.type(within(rows()[2]!).getByTestId("preset-message-content"), "Added");
    await user.click(screen.getByTestId("agent-save"));

    await waitFor(() => expect(screen.getByText("Agent saved.")).toBeInTheDocument());
    const input = core.calls.find((c) => c.cmd === "update_agent")?.args.input as AgentInput;
    expect(input.presetMessages).toEqual([
      { role: "system", content: "You translate." },
      { role: "assistant", content: "Example question" },
      { role: "user", content: "Added" },
    ]);
  });

  it("lists every problem of an import that was refused", async () => {
    mockCore({
      listAgents: () => [agent()],
      listProviders: () => [],
      importAgents: () =>
        invalidInput(
          problem("agents.0.agentId", "taken", { value: "translator" }),
          problem("agents.2.params.temperature", "out_of_range", { min: 0, max: 2 }),
        ),
    });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);

    const file = new File(['{"format":"confab-agents","agents":[]}'], "agents.json", {
      type: "application/json",
    });
    await user.upload(await screen.findByTestId("agent-import-file"), file);

    const problems = await screen.findAllByTestId("import-problem");
    expect(problems.map((p) => p.textContent)).toEqual([
      "agents.0.agentId: “translator” is already used by another agent.",
      "agents.2.params.temperature: Enter a value from 0 to 2.",
    ]);
  });

  it("offers no delete for the built-in agent", async () => {
    useAgentEditor.setState({ target: "default" });
    mockCore({ listAgents: () => [builtin, agent()], listProviders: () => [] });
    render(<AgentEditorDialog />);
    expect(await screen.findByTestId("agent-save")).toBeInTheDocument();
    expect(screen.queryByTestId("agent-delete")).not.toBeInTheDocument();
    expect(screen.getByTestId("agent-duplicate")).toBeInTheDocument();
  });
});
