import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { appError, mockCore } from "../../../test/core";
import { conversation, testAgent } from "../../../test/fixtures";
import { AgentKnowledgeSection } from "../components/AgentKnowledgeSection";
import { KnowledgePicker } from "../components/KnowledgePicker";
import { useKnowledge } from "../store/knowledgeStore";
import { knowledgeBase } from "./fixtures";

const bases = [
  knowledgeBase({ id: "kb1", name: "Manuals" }),
  knowledgeBase({ id: "kb2", name: "Notes" }),
];

describe("attaching knowledge bases", () => {
  beforeEach(() => useKnowledge.setState({ open: false, status: "idle", bases: [] }));

  it("the agent editor ticks the agent's bases and saves each change at once", async () => {
    let saved = ["kb2"];
    const core = mockCore({
      listKnowledgeBases: () => bases,
      agentKnowledge: () => saved,
      setAgentKnowledge: (_agent, kbIds) => {
        saved = kbIds;
        return null;
      },
    });
    const user = userEvent.setup();
    render(<AgentKnowledgeSection agent={testAgent({ id: "a1" })} />);

    const boxes = await screen.findAllByTestId("agent-knowledge-use");
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([false, true]);
    await user.click(boxes[0]!);
    await waitFor(() => expect(saved).toEqual(["kb2", "kb1"]));
    expect(core.calls.find((c) => c.cmd === "agent_knowledge")?.args).toEqual({ agentId: "a1" });
    await user.click(boxes[1]!);
    await waitFor(() => expect(saved).toEqual(["kb1"]));
  });

  it("undoes a tick the core refused, and says so", async () => {
    mockCore({
      listKnowledgeBases: () => bases,
      agentKnowledge: () => [],
      setAgentKnowledge: () => appError("database"),
    });
    const user = userEvent.setup();
    render(<AgentKnowledgeSection agent={testAgent({ id: "a1" })} />);
    const [first] = await screen.findAllByTestId("agent-knowledge-use");
    await user.click(first!);
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(first).not.toBeChecked();
  });

  it("a new agent is saved before it takes bases", () => {
    const core = mockCore({ listKnowledgeBases: () => bases });
    render(<AgentKnowledgeSection agent={null} />);
    expect(screen.getByTestId("agent-knowledge-save-first")).toBeInTheDocument();
    expect(core.calls.some((c) => c.cmd === "agent_knowledge")).toBe(false);
  });

  it("the chat header's picker shows the agent's bases fixed and adds the conversation's own", async () => {
    let own: string[] = [];
    const core = mockCore({
      listKnowledgeBases: () => bases,
      agentKnowledge: () => ["kb1"],
      conversationKnowledge: () => own,
      setConversationKnowledge: (_c, kbIds) => {
        own = kbIds;
        return null;
      },
    });
    const user = userEvent.setup();
    render(
      <KnowledgePicker conversation={conversation({ id: "c1" })} agent={testAgent({ id: "a1" })} />,
    );
    // Nothing is asked until it is opened.
    expect(core.calls).toEqual([]);

    await user.click(screen.getByTestId("knowledge-picker"));
    const boxes = await screen.findAllByTestId("knowledge-picker-use");
    await waitFor(() => expect(boxes[0]).toBeChecked());
    expect(boxes[0]).toBeDisabled();
    expect(screen.getByTestId("knowledge-picker-panel")).toHaveTextContent("from the agent");

    await user.click(boxes[1]!);
    await waitFor(() => expect(own).toEqual(["kb2"]));
    expect(screen.getByTestId("knowledge-picker")).toHaveTextContent("Knowledge · 2");

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("knowledge-picker-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId("knowledge-picker")).toHaveFocus();
  });
});
