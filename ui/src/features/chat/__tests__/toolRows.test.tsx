import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Part } from "../../../ipc";
import { manualStream, mockCore } from "../../../test/core";
import { conversation, message, startedEvent, testAgent } from "../../../test/fixtures";
import { showConversation, startReply as startChatReply } from "../../../test/chat";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";

const conv = conversation({ id: "c1", title: "Tides" });
const HOSTILE = '<img src=x onerror="alert(1)"> **not bold**';

const call = (callId: string, name: string, args: string): Part => ({
  type: "toolCall",
  callId,
  name,
  server: "Web tools",
  arguments: args,
});

/** A stored reply: text, two calls, their results (the second an error), text again. */
function storedReply(result = "03:00 high") {
  return message({
    conversationId: "c1",
    content: "Looking. High tide is at **3**.",
    parts: [
      { type: "text", text: "Looking." },
      call("c-1", "fetch_page", '{"url":"https://t.example","max":2}'),
      call("c-2", "get_forecast", '{"city": "Lis'),
      { type: "toolResult", callId: "c-2", content: "Bad JSON.\nmore", isError: true },
      { type: "toolResult", callId: "c-1", content: result, durationMs: 1840 },
      { type: "text", text: " High tide is at **3**." },
    ],
  });
}

function renderStored(reply = storedReply()) {
  showConversation(conv, [reply]);
  mockCore({});
  render(<ChatPane />);
  return userEvent.setup();
}

describe("tool steps in the transcript", () => {
  it("a stored reply shows text, a row per call and text again, in order", () => {
    renderStored();
    const body = screen.getByTestId("message").querySelector(".message__body")!;
    const order = [...body.querySelectorAll('.markdown, [data-testid="tool-step"]')].map((el) =>
      el.classList.contains("markdown") ? el.textContent : el.getAttribute("data-call-id"),
    );
    expect(order).toEqual(["Looking.", "c-1", "c-2", "High tide is at 3."]);
    expect(within(body as HTMLElement).getByText("3").tagName).toBe("STRONG");
  });

  it("a row is compact until opened: name, server, status, time", async () => {
    const user = renderStored();
    const [done, failed] = screen.getAllByTestId("tool-step");
    expect(done).toHaveAttribute("data-status", "done");
    expect(done).toHaveTextContent(/fetch_page\s*Web tools\s*Done\s*1\.8 s/);
    expect(within(done!).queryByTestId("tool-step-details")).toBeNull();

    await user.click(within(done!).getByTestId("tool-step-toggle"));
    expect(within(done!).getByTestId("tool-step-toggle")).toHaveAttribute("aria-expanded", "true");
    expect(within(done!).getByTestId("tool-arguments").textContent).toBe(
      '{\n  "url": "https://t.example",\n  "max": 2\n}',
    );
    expect(within(done!).getByTestId("tool-result")).toHaveTextContent("03:00 high");

    // An error result: its first line in the row; malformed arguments shown as written.
    expect(failed).toHaveAttribute("data-status", "failed");
    expect(within(failed!).getByTestId("tool-step-status")).toHaveTextContent(/^Bad JSON\.$/);
    await user.click(within(failed!).getByTestId("tool-step-toggle"));
    expect(within(failed!).getByTestId("tool-arguments").textContent).toBe('{"city": "Lis');
    expect(within(failed!).getByTestId("tool-result").textContent).toBe("Bad JSON.\nmore");
  });

  it("a result is plain text: no HTML, no markdown", async () => {
    const user = renderStored(storedReply(HOSTILE));
    const row = screen.getAllByTestId("tool-step")[0]!;
    await user.click(within(row).getByTestId("tool-step-toggle"));
    const result = within(row).getByTestId("tool-result");
    expect(result.tagName).toBe("PRE");
    expect(result.textContent).toBe(HOSTILE);
    expect(row.querySelector("img, strong")).toBeNull();
  });

  it("a long result is folded, with a way to show all of it", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const user = renderStored(storedReply(long));
    const row = screen.getAllByTestId("tool-step")[0]!;
    await user.click(within(row).getByTestId("tool-step-toggle"));
    const result = within(row).getByTestId("tool-result");
    expect(result).not.toHaveTextContent("line 39");
    const more = within(row).getByTestId("tool-text-more");
    expect(more).toHaveTextContent(`Show all (${long.length} characters)`);
    await user.click(more);
    expect(result.textContent).toBe(long);
    expect(more).toHaveTextContent("Show less");
  });

  it("a call the engine refuses shows as not run, then failed with its reason", async () => {
    const { emit, user } = await startChatReply(conv);
    emit({
      event: "toolCall",
      data: { callId: "c-9", name: "nope", server: null, arguments: "", status: "refused" },
    });
    const row = screen.getByTestId("tool-step");
    expect(row).toHaveAttribute("data-status", "refused");
    expect(row).toHaveTextContent(/nope\s*no such tool\s*Not run/);

    emit({
      event: "toolResult",
      data: {
        callId: "c-9",
        content: "There is no tool named nope.",
        isError: true,
        durationMs: 0,
      },
    });
    expect(row).toHaveAttribute("data-status", "failed");
    expect(row).toHaveTextContent("There is no tool named nope.");
    // It did not run: no time.
    expect(row).not.toHaveTextContent("0 ms");
    await user.click(within(row).getByTestId("tool-step-toggle"));
    expect(within(row).getByText("No arguments")).toBeInTheDocument();
  });

  it("continuing a reply keeps its tool steps on screen", async () => {
    const user0 = message({ conversationId: "c1", role: "user", content: "Tides?" });
    const partial = { ...storedReply(), state: "partial" as const };
    showConversation(conv, [user0, partial]);
    const stream = manualStream("s2");
    mockCore({ continueReply: stream.handler, listConversations: () => [conv] });
    const user = userEvent.setup();
    render(<ChatPane />);
    await user.click(screen.getByTestId("continue-message"));
    act(() => stream.emit(startedEvent(user0, { streamId: "s2", text: " High tide" })));

    const streaming = screen.getByTestId("streaming-message");
    expect(within(streaming).getAllByTestId("tool-step")).toHaveLength(2);
    expect(streaming).toHaveTextContent(/Looking\..*High tide/);
  });
});

describe("the Tools switch", () => {
  it("shows only for an agent with tool servers, and turns them off here", async () => {
    showConversation(conv, []);
    useChatStore.setState({ agent: testAgent() });
    const core = mockCore({
      setConversationTools: (id, enabled) => ({ ...conv, id, toolsEnabled: enabled }),
    });
    const { rerender } = render(<ChatPane />);
    expect(screen.queryByTestId("tools-toggle")).toBeNull();

    act(() => useChatStore.setState({ agent: testAgent({ tools: { servers: ["web"] } }) }));
    rerender(<ChatPane />);
    const toggle = screen.getByTestId("tools-toggle");
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    await userEvent.setup().click(toggle);
    expect(core.calls).toContainEqual({
      cmd: "set_conversation_tools",
      args: { id: "c1", enabled: false },
    });
    expect(toggle).toHaveAttribute("aria-pressed", "false");
  });
});
