import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import {
  formatListTime,
  formatMessageTime,
  formatShortDay,
  isoTime,
  NO_DATE,
} from "../../../i18n/format";
import { conversation, message } from "../../../test/fixtures";
import { mockCore } from "../../../test/core";
import { ChatPane } from "../../chat/components/ChatPane";
import { useChatStore } from "../../chat/store/chatStore";
import { ConversationList } from "../../conversations/components/ConversationList";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { AppBoundary } from "../components/CrashFallbacks";
import { showConversation } from "../../../test/chat";

describe("dates no Date can hold", () => {
  it("format as a placeholder instead of throwing", () => {
    for (const ms of [1e16, -1e17, 8.64e15 + 1, Number.NaN, Infinity, -Infinity]) {
      expect(formatListTime(ms, "en")).toBe(NO_DATE);
      expect(formatMessageTime(ms, "zh-CN")).toBe(NO_DATE);
      expect(isoTime(ms)).toBeUndefined();
    }
    // The edge itself is a date.
    expect(isoTime(8.64e15)).toBe("+275760-09-13T00:00:00.000Z");
    expect(formatMessageTime(0, "not a language tag!")).toBe(NO_DATE);
    expect(formatShortDay("2026-13-99999999", "en")).toBe("2026-13-99999999");
    expect(formatShortDay("garbage", "en")).toBe("garbage");
  });
});

const bad = conversation({ id: "bad", title: "From an import", pinned: true, updatedAt: 1e16 });

describe("a hostile import", () => {
  it("draws the sidebar and the transcript with placeholder times", async () => {
    mockCore({ listConversations: () => [bad, conversation({ id: "ok", title: "Fine" })] });
    const messages = [
      message({ conversationId: "bad", role: "user", content: "old", createdAt: -1e17 }),
      message({ conversationId: "bad", content: "odd", createdAt: Number.NaN }),
    ];
    showConversation(bad, messages);
    render(
      <>
        <ConversationList />
        <ChatPane />
      </>,
    );
    await act(() => useConversationsStore.getState().load());
    expect(screen.getAllByText("From an import").length).toBeGreaterThan(0);
    expect(screen.getByText("Fine")).toBeInTheDocument();
    const times = screen
      .getAllByTestId("conversation-item")
      .map((row) => row.querySelector("time"));
    expect(times[0]).toHaveTextContent("—");
    expect(times[0]).not.toHaveAttribute("datetime");
    expect(screen.getAllByTestId("message")).toHaveLength(2);
    for (const info of screen.getAllByTestId("message-info"))
      expect(info.textContent).toMatch(/^—/);
  });
});

describe("error boundaries", () => {
  it("keep the rest of the transcript when one message throws", () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const conv = conversation({ id: "c1" });
    const messages = [
      message({ conversationId: "c1", role: "user", content: "before" }),
      // Not a string, as a broken core might send: reading it throws inside the bubble.
      message({ conversationId: "c1", content: null as unknown as string }),
      message({ conversationId: "c1", role: "user", content: "after" }),
    ];
    showConversation(conv, messages);
    render(<ChatPane />);
    expect(screen.getByText("before")).toBeInTheDocument();
    expect(screen.getByText("after")).toBeInTheDocument();
    expect(screen.getByTestId("message-crash")).toHaveTextContent("Something went wrong here");
    expect(screen.getAllByTestId("message")).toHaveLength(2);

    // A fixed version of the message replaces the notice by itself.
    const fixed = { ...messages[1]!, content: "now readable" };
    act(() =>
      useChatStore.setState({
        detail: {
          conversation: conv,
          messages: [messages[0]!, fixed, messages[2]!],
          hasMore: false,
        },
      }),
    );
    expect(screen.queryByTestId("message-crash")).toBeNull();
    expect(screen.getByText("now readable")).toBeInTheDocument();
    expect(consoleError).toHaveBeenCalled();
  });

  it("show a way on at app level: reload, retry, copy the detail", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    let fail = true;
    function Fragile() {
      if (fail) throw new RangeError("Invalid time value");
      return <p>drawn</p>;
    }
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    render(
      <AppBoundary>
        <Fragile />
      </AppBoundary>,
    );
    expect(screen.getByTestId("app-crash")).toHaveTextContent("Something went wrong here");
    expect(screen.getByRole("button", { name: "Reload window" })).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("crash-copy"));
    expect(writeText).toHaveBeenCalledWith(
      expect.stringContaining("RangeError: Invalid time value"),
    );
    fail = false;
    fireEvent.click(screen.getByTestId("crash-retry"));
    expect(screen.getByText("drawn")).toBeInTheDocument();
  });
});
