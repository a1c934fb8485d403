import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../App";
import { appError, manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import type { ActiveStream } from "../../../ipc";
import { useChatStore } from "../store/chatStore";

const conv = conversation({ id: "c1", title: "Trip planning" });
const other = conversation({ id: "c2", title: "Groceries" });
const question = message({ conversationId: "c1", role: "user", content: "Where to go?" });
const running: ActiveStream = {
  streamId: "s7",
  conversationId: "c1",
  startedAt: Date.UTC(2025, 0, 2, 9, 31),
  receivedBytes: 9,
};

function core(active: ActiveStream[], attach = manualStream(null)) {
  const calls = mockCore({
    listConversations: () => [conv, other],
    getConversation: (id) => ({
      conversation: id === "c1" ? conv : other,
      messages: id === "c1" ? [question] : [],
      hasMore: false,
    }),
    listActiveStreams: () => active,
    attachStream: attach.handler,
    cancelStream: () => null,
  });
  return { calls, attach };
}

describe("after a reload", () => {
  it("reopens the conversation and shows the running reply: snapshot, then deltas, once", async () => {
    window.sessionStorage.setItem("confab.openConversation", "c1");
    const { calls, attach } = core([running]);
    render(<App />);

    await waitFor(() => expect(attach.called).toBe(true));
    expect(calls.calls).toContainEqual({
      cmd: "attach_stream",
      args: expect.objectContaining({ streamId: "s7" }) as unknown,
    });
    act(() =>
      attach.emit({
        event: "snapshot",
        data: {
          streamId: "s7",
          conversationId: "c1",
          text: "Try **Ky",
          reasoning: "",
          steps: [],
          awaitingApproval: [],
        },
      }),
    );
    act(() => attach.emit({ event: "delta", data: { text: "oto**" } }));
    act(() => attach.emit({ event: "delta", data: { text: " in spring." } }));

    expect(await screen.findByText("Where to go?")).toBeInTheDocument();
    const streaming = screen.getByTestId("streaming-message");
    expect(streaming.querySelector(".message__body")).toHaveTextContent(/^Try Kyoto in spring\.$/);
    expect(within(streaming).getByText("Kyoto").tagName).toBe("STRONG");
    // Attached once, even though both the start-up and the open looked for streams.
    expect(calls.calls.filter((c) => c.cmd === "attach_stream")).toHaveLength(1);
  });

  it("can stop the reply it picked up again", async () => {
    window.sessionStorage.setItem("confab.openConversation", "c1");
    const { calls, attach } = core([running]);
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(attach.called).toBe(true));
    act(() =>
      attach.emit({
        event: "snapshot",
        data: {
          streamId: "s7",
          conversationId: "c1",
          text: "Half",
          reasoning: "",
          steps: [],
          awaitingApproval: [],
        },
      }),
    );

    await user.click(await screen.findByTestId("stop-button"));
    expect(calls.calls).toContainEqual({ cmd: "cancel_stream", args: { streamId: "s7" } });

    const cancelled = message({ conversationId: "c1", content: "Half", state: "cancelled" });
    act(() => attach.emit({ event: "done", data: { message: cancelled } }));
    expect(screen.queryByTestId("streaming-message")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("message").map((m) => m.dataset.state)).toEqual([
      "complete",
      "cancelled",
    ]);
  });

  it("attaches when the person opens a conversation whose reply is still streaming", async () => {
    const active: ActiveStream[] = [];
    const { calls, attach } = core(active);
    const user = userEvent.setup();
    render(<App />);
    const row = (await screen.findAllByTestId("conversation-item"))[0]!;
    expect(calls.calls.map((c) => c.cmd)).not.toContain("attach_stream");

    active.push(running);
    await user.click(within(row).getByRole("button", { name: /^Trip planning/ }));

    await waitFor(() => expect(attach.called).toBe(true));
    act(() =>
      attach.emit({
        event: "snapshot",
        data: {
          streamId: "s7",
          conversationId: "c1",
          text: "So far",
          reasoning: "",
          steps: [],
          awaitingApproval: [],
        },
      }),
    );
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("So far");
    expect(useChatStore.getState().streams.c1?.streamId).toBe("s7");
  });

  it("starts with nothing open when the remembered conversation is gone", async () => {
    window.sessionStorage.setItem("confab.openConversation", "deleted");
    mockCore({
      listConversations: () => [conv],
      getConversation: () => appError("not_found", "gone"),
      listActiveStreams: () => [],
    });
    render(<App />);

    await waitFor(() => expect(useChatStore.getState().currentId).toBeNull());
    expect(screen.getByRole("heading", { name: "Start a conversation" })).toBeInTheDocument();
  });
});

describe("a generated title", () => {
  it("renames the conversation in the list and the header without a refetch", async () => {
    const stream = manualStream("s1");
    const calls = mockCore({
      listConversations: () => [conv, other],
      getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
      listActiveStreams: () => [],
      sendMessage: stream.handler,
    });
    const user = userEvent.setup();
    render(<App />);
    const row = (await screen.findAllByTestId("conversation-item"))[0]!;
    await user.click(within(row).getByRole("button", { name: /^Trip planning/ }));
    await user.type(await screen.findByTestId("message-input"), "Hi{Enter}");

    const userMessage = message({ conversationId: "c1", role: "user", content: "Hi" });
    act(() => stream.emit(startedEvent(userMessage)));
    act(() =>
      stream.emit({
        event: "done",
        data: { message: message({ conversationId: "c1", content: "Hello!" }) },
      }),
    );
    await waitFor(() =>
      expect(calls.calls.filter((c) => c.cmd === "list_conversations")).toHaveLength(2),
    );
    const listings = calls.calls.length;

    act(() => stream.emit({ event: "title", data: { conversationId: "c1", title: "Greetings" } }));

    expect(within(row).getByRole("button", { name: /^Greetings/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Greetings" })).toBeInTheDocument();
    expect(calls.calls).toHaveLength(listings);
  });
});
