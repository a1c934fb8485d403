import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import { showConversation } from "../../../test/chat";
import type { ChatEvent, Message } from "../../../ipc";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";
import { useJumpStore } from "../store/jumpStore";
import { withMessage } from "../store/transcript";

const conv = conversation({ id: "c1", title: "Versions" });
const question = message({ id: "q", conversationId: "c1", seq: 1, role: "user", content: "Hi" });

function reply(id: string, content: string, version: number, versions: number): Message {
  return message({
    id,
    conversationId: "c1",
    parentId: "q",
    seq: 2,
    role: "assistant",
    content,
    version,
    versions,
  });
}

function replyText(): string {
  const [, shown] = screen.getAllByTestId("message");
  return shown?.querySelector(".message__body")?.textContent ?? "";
}

describe("versions of a message", () => {
  it("shows ‹ 2 / 3 › and switches to the version before and after, as the core shows it", async () => {
    const versions = [
      reply("r1", "First answer", 1, 3),
      reply("r2", "Second answer", 2, 3),
      reply("r3", "Third answer", 3, 3),
    ];
    let shown = 1;
    const core = mockCore({
      switchVersion: (messageId, step) => {
        shown = versions.findIndex((v) => v.id === messageId) + Number(step);
        return { conversation: conv, messages: [question, versions[shown]!], hasMore: false };
      },
    });
    showConversation(conv, [question, versions[1]!]);
    const user = userEvent.setup();
    render(<ChatPane />);

    const switcher = screen.getByTestId("versions");
    expect(switcher).toHaveAccessibleName("Version 2 of 3");
    expect(within(switcher).getByTestId("version-count")).toHaveTextContent("2 / 3");
    // The person's message has one version: no switcher under it.
    expect(screen.getAllByTestId("versions")).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Next version" }));
    expect(core.calls).toContainEqual({
      cmd: "switch_version",
      args: { messageId: "r2", step: 1 },
    });
    expect(replyText()).toBe("Third answer");
    expect(screen.getByTestId("version-count")).toHaveTextContent("3 / 3");
    expect(screen.getByRole("button", { name: "Next version" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Previous version" }));
    await user.click(screen.getByRole("button", { name: "Previous version" }));
    expect(replyText()).toBe("First answer");
    expect(screen.getByRole("button", { name: "Previous version" })).toBeDisabled();
    expect(shown).toBe(0);
  });

  it("cannot switch while a reply streams, and says why a switch failed", async () => {
    const stream = manualStream("s1");
    mockCore({
      switchVersion: () => appError("busy", "a reply is streaming"),
      regenerate: stream.handler,
      listConversations: () => [conv],
    });
    showConversation(conv, [question, reply("r2", "Second answer", 2, 2)]);
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByRole("button", { name: "Previous version" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/still being written/);
    expect(replyText()).toBe("Second answer");

    await user.click(screen.getByTestId("regenerate"));
    act(() => stream.emit(startedEvent(question)));
    // The new version streams where the old one was shown (the old one stays in the core),
    // and nothing can be switched meanwhile.
    expect(screen.queryByRole("button", { name: "Previous version" })).toBeNull();
    expect(screen.getAllByTestId("message")).toHaveLength(1);
    expect(screen.getByTestId("streaming-message")).toBeInTheDocument();
    const done: ChatEvent = {
      event: "done",
      data: { message: reply("r3", "Third answer", 3, 3) },
    };
    act(() => stream.emit(done));
    expect(replyText()).toBe("Third answer");
    expect(screen.getByTestId("version-count")).toHaveTextContent("3 / 3");
    expect(useChatStore.getState().detail?.messages.map((m) => m.id)).toEqual(["q", "r3"]);
  });

  it("a version far up stays in view: the transcript is scrolled back to it", async () => {
    const first = message({
      id: "q1",
      conversationId: "c1",
      seq: 1,
      role: "user",
      content: "One",
      version: 1,
      versions: 2,
    });
    const second = { ...first, id: "q2", content: "Two", version: 2 };
    mockCore({
      switchVersion: () => ({
        conversation: conv,
        messages: [second, reply("r9", "Answer to two", 1, 1)],
        hasMore: false,
      }),
    });
    showConversation(conv, [first, reply("r1", "Answer to one", 1, 1)]);
    const user = userEvent.setup();
    render(<ChatPane />);
    await user.click(screen.getByRole("button", { name: "Next version" }));
    await waitFor(() =>
      expect(useJumpStore.getState().target).toMatchObject({ conversationId: "c1", seq: 1 }),
    );
    expect(replyText()).toBe("Answer to two");
  });

  it("branches from a message into a new conversation and opens it", async () => {
    const copy = conversation({ id: "c2", title: "Versions (branch)" });
    const core = mockCore({
      branchConversation: () => copy,
      listConversations: () => [conv, copy],
      getConversation: () => ({ conversation: copy, messages: [question], hasMore: false }),
      getConversationAgent: () => null,
    });
    showConversation(conv, [question, reply("r1", "First answer", 1, 1)]);
    const user = userEvent.setup();
    render(<ChatPane />);
    const [first] = screen.getAllByTestId("message");
    await user.click(within(first!).getByTestId("branch-from-here"));
    expect(core.calls).toContainEqual({
      cmd: "branch_conversation",
      args: { messageId: "q", title: "Versions (branch)" },
    });
    await waitFor(() => expect(useChatStore.getState().currentId).toBe("c2"));
    expect(screen.getAllByTestId("message")).toHaveLength(1);
  });

  it("an edited message takes the place of the version it replaces, and its branch goes", () => {
    const detail = {
      conversation: conv,
      messages: [question, reply("r1", "First", 1, 1)],
      hasMore: false,
    };
    const edited = message({
      id: "q2",
      conversationId: "c1",
      seq: 1,
      role: "user",
      content: "Hello",
    });
    // `started` of an edit & resend: the new version, with what followed the old one dropped.
    expect(withMessage(detail, edited, true).messages.map((m) => m.id)).toEqual(["q2"]);
    // `done` of a regenerate: the new reply takes the old one's place at its depth.
    const again = reply("r2", "Second", 2, 2);
    expect(withMessage(detail, again).messages.map((m) => m.id)).toEqual(["q", "r2"]);
  });
});
