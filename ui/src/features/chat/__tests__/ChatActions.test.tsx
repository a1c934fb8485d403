import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import type { ChatEvent } from "../../../ipc";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";
import { newStream } from "../store/streamMachine";
import { showConversation } from "../../../test/chat";

const conv = conversation({ id: "c1", title: "Trip planning" });

function texts(): string[] {
  return screen
    .getAllByTestId("message")
    .map((m) => m.querySelector(".message__body")?.textContent ?? "");
}

/** Sends "Hi" through the composer and has the core start the reply. */
async function startReply(extra: Parameters<typeof mockCore>[0] = {}) {
  showConversation(conv, []);
  const stream = manualStream("s1");
  const core = mockCore({
    sendMessage: stream.handler,
    listConversations: () => [conv],
    ...extra,
  });
  const emit = (e: ChatEvent) => act(() => stream.emit(e));
  const user = userEvent.setup();
  render(<ChatPane />);
  await user.type(screen.getByTestId("message-input"), "Hi{Enter}");
  const userMessage = message({ conversationId: "c1", role: "user", content: "Hi" });
  emit(startedEvent(userMessage));
  return { core, emit, user, userMessage };
}

describe("stopping a reply", () => {
  it("stops with the Stop button and shows the reply as stopped, with its text", async () => {
    const { core, emit, user, userMessage } = await startReply({ cancelStream: () => null });
    emit({ event: "delta", data: { text: "The first half" } });

    await user.click(screen.getByTestId("stop-button"));

    expect(core.calls).toContainEqual({ cmd: "cancel_stream", args: { streamId: "s1" } });
    expect(screen.getByTestId("stop-button")).toBeDisabled();
    expect(screen.getByTestId("stream-status")).toHaveTextContent("Stopping…");

    const cancelled = message({
      conversationId: "c1",
      content: "The first half",
      state: "cancelled",
      meta: { reason: "cancelled" },
    });
    emit({ event: "done", data: { message: cancelled } });

    const [, reply] = screen.getAllByTestId("message");
    expect(reply).toHaveAttribute("data-state", "cancelled");
    expect(reply).toHaveTextContent("The first half");
    expect(reply).toHaveTextContent("Stopped");
    expect(within(reply!).getByTestId("retry-message")).toBeInTheDocument();
    expect(screen.getByTestId("send-button")).toBeInTheDocument();
    expect(useChatStore.getState().detail?.messages).toEqual([userMessage, cancelled]);
  });

  it("stops the open conversation's reply with Esc", async () => {
    const { core, user } = await startReply({ cancelStream: () => null });

    await user.keyboard("{Escape}");

    expect(core.calls.filter((c) => c.cmd === "cancel_stream")).toEqual([
      { cmd: "cancel_stream", args: { streamId: "s1" } },
    ]);
  });

  it("ignores a stream that ended just before the stop reached the core", async () => {
    const { user } = await startReply({
      cancelStream: () => appError("not_found", "stream s1 does not exist"),
    });

    await user.click(screen.getByTestId("stop-button"));

    expect(useChatStore.getState().error).toBeNull();
  });
});

describe("the status of a reply that has not started writing", () => {
  it("says when it waits for a free slot or for the rate limit", async () => {
    const { emit } = await startReply();

    emit({ event: "queued", data: { reason: "concurrency" } });
    expect(screen.getByTestId("stream-status")).toHaveTextContent("Waiting for a free slot…");

    emit({ event: "queued", data: { reason: "rate_limit" } });
    expect(screen.getByTestId("stream-status")).toHaveTextContent("Waiting for the rate limit…");
  });

  it("says when it retries, why, and in how long", async () => {
    const { emit } = await startReply();

    emit({
      event: "retrying",
      data: { attempt: 2, delayMs: 4000, code: "rate_limited", message: "HTTP 429" },
    });

    expect(screen.getByTestId("stream-status")).toHaveTextContent(
      "Rate limited, retrying in 4 s (retry 2)…",
    );
  });

  it("says when a cut reply resumes, keeping its text, until the next words", async () => {
    const { emit } = await startReply();

    emit({ event: "delta", data: { text: "The first half" } });
    emit({
      event: "resuming",
      data: { attempt: 1, delayMs: 1500, code: "network", message: "connection reset" },
    });
    expect(screen.getByTestId("stream-status")).toHaveTextContent(
      "Connection lost — resuming (1/2)…",
    );
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("The first half");

    emit({ event: "delta", data: { text: " and the rest." } });
    expect(screen.queryByTestId("stream-status")).not.toBeInTheDocument();
    expect(screen.getByTestId("streaming-message")).toHaveTextContent(
      "The first half and the rest.",
    );
  });

  it("counts the wait for the first words, then gives way to the text", async () => {
    const { emit } = await startReply();

    emit({ event: "heartbeat", data: { waitedMs: 12_000 } });
    expect(screen.getByTestId("stream-status")).toHaveTextContent(
      "Waiting for the first words… 12 s",
    );

    emit({ event: "delta", data: { text: "Here" } });
    expect(screen.queryByTestId("stream-status")).not.toBeInTheDocument();
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("Here");
  });
});

describe("regenerate and edit & resend", () => {
  const question = message({ conversationId: "c1", role: "user", content: "Where to go?" });
  const answer = message({ conversationId: "c1", content: "Try Kyoto." });

  it("regenerates the last reply in place", async () => {
    showConversation(conv, [question, answer]);
    const stream = manualStream("s2");
    const core = mockCore({ regenerate: stream.handler, listConversations: () => [conv] });
    const user = userEvent.setup();
    render(<ChatPane />);
    expect(screen.getAllByTestId("regenerate")).toHaveLength(1);

    await user.click(screen.getByTestId("regenerate"));

    expect(core.calls).toContainEqual({
      cmd: "regenerate",
      args: expect.objectContaining({ conversationId: "c1" }) as unknown,
    });
    // The reply being replaced is gone at once; the new one streams in its place.
    expect(texts()).toEqual(["Where to go?"]);
    act(() => stream.emit(startedEvent(question, { streamId: "s2" })));
    act(() => stream.emit({ event: "delta", data: { text: "Try Lisbon." } }));
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("Try Lisbon.");

    const again = message({ conversationId: "c1", content: "Try Lisbon." });
    act(() => stream.emit({ event: "done", data: { message: again } }));

    expect(texts()).toEqual(["Where to go?", "Try Lisbon."]);
    expect(useChatStore.getState().detail?.messages).toEqual([question, again]);
  });

  it("continues a reply that stopped early, from where it stopped", async () => {
    const cut = message({
      conversationId: "c1",
      content: "Try Kyoto, or",
      state: "partial",
      meta: { reason: "no_finish_reason" },
    });
    showConversation(conv, [question, cut]);
    const stream = manualStream("s4");
    const core = mockCore({ continueReply: stream.handler, listConversations: () => [conv] });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByTestId("continue-message"));

    expect(core.calls).toContainEqual({
      cmd: "continue_reply",
      args: expect.objectContaining({ conversationId: "c1" }) as unknown,
    });
    act(() =>
      stream.emit(
        startedEvent(question, { streamId: "s4", continuesMessageId: cut.id, text: cut.content }),
      ),
    );
    act(() => stream.emit({ event: "delta", data: { text: " Lisbon." } }));
    // The unfinished reply gives way to the stream, which starts from its text.
    expect(texts()).toEqual(["Where to go?"]);
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("Try Kyoto, or Lisbon.");

    const whole = {
      ...cut,
      content: "Try Kyoto, or Lisbon.",
      state: "complete" as const,
      meta: {},
    };
    act(() => stream.emit({ event: "done", data: { message: whole } }));
    expect(texts()).toEqual(["Where to go?", "Try Kyoto, or Lisbon."]);
    expect(useChatStore.getState().detail?.messages).toEqual([question, whole]);
  });

  it("offers no continue for a complete reply", () => {
    showConversation(conv, [question, answer]);
    mockCore({});
    render(<ChatPane />);
    expect(screen.queryByTestId("continue-message")).not.toBeInTheDocument();
  });

  it("keeps the old reply when the core refuses to regenerate", async () => {
    showConversation(conv, [question, answer]);
    mockCore({ regenerate: () => appError("busy") });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByTestId("regenerate"));

    expect(await screen.findByTestId("error-banner")).toHaveAttribute("data-code", "busy");
    expect(texts()).toEqual(["Where to go?", "Try Kyoto."]);
  });

  it("edits a message, drops what followed it and streams a new reply", async () => {
    const later = message({ conversationId: "c1", role: "user", content: "And in winter?" });
    const laterAnswer = message({ conversationId: "c1", content: "Sapporo." });
    showConversation(conv, [question, answer, later, laterAnswer]);
    const stream = manualStream("s3");
    const core = mockCore({ editAndResend: stream.handler, listConversations: () => [conv] });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getAllByTestId("edit-message")[0]!);
    const editor = screen.getByRole("textbox", { name: "Edit message" });
    expect(editor).toHaveValue("Where to go?");
    expect(editor).toHaveFocus();
    await user.clear(editor);
    await user.type(editor, "Where to go in May?{Enter}");

    expect(core.calls).toContainEqual({
      cmd: "edit_and_resend",
      args: expect.objectContaining({
        messageId: question.id,
        text: "Where to go in May?",
      }) as unknown,
    });
    expect(screen.queryByTestId("message-editor")).not.toBeInTheDocument();
    expect(screen.queryByText("Sapporo.")).not.toBeInTheDocument();

    const edited = { ...question, content: "Where to go in May?" };
    act(() => stream.emit(startedEvent(edited, { streamId: "s3" })));
    const reply = message({ conversationId: "c1", content: "Porto." });
    act(() => stream.emit({ event: "done", data: { message: reply } }));

    expect(texts()).toEqual(["Where to go in May?", "Porto."]);
    expect(useChatStore.getState().detail?.messages).toEqual([edited, reply]);
  });

  it("cancels an edit with Esc (without touching a reply) or with Cancel", async () => {
    showConversation(conv, [question, answer]);
    const core = mockCore({});
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByTestId("edit-message"));
    await user.type(screen.getByRole("textbox", { name: "Edit message" }), " changed");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("message-editor")).not.toBeInTheDocument();
    expect(texts()).toEqual(["Where to go?", "Try Kyoto."]);

    await user.click(screen.getByTestId("edit-message"));
    await user.click(screen.getByTestId("edit-cancel"));
    expect(screen.queryByTestId("message-editor")).not.toBeInTheDocument();
    expect(core.calls).toEqual([]);
  });

  it("keeps the editor open with the draft when the core refuses the edit", async () => {
    showConversation(conv, [question, answer]);
    mockCore({ editAndResend: () => appError("no_api_key") });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByTestId("edit-message"));
    await user.type(screen.getByRole("textbox", { name: "Edit message" }), "!{Enter}");

    expect(await screen.findByTestId("error-banner")).toHaveAttribute("data-code", "no_api_key");
    expect(screen.getByRole("textbox", { name: "Edit message" })).toHaveValue("Where to go?!");
    expect(screen.getByText("Try Kyoto.")).toBeInTheDocument();
  });

  it("offers no edit or regenerate while a reply streams", () => {
    showConversation(conv, [question, answer]);
    useChatStore.setState({
      streams: { c1: newStream(-1, "c1", { origin: "send", streamId: "s9" }) },
    });
    render(<ChatPane />);

    expect(screen.getByTestId("edit-message")).toBeDisabled();
    expect(screen.queryByTestId("regenerate")).not.toBeInTheDocument();
  });
});
