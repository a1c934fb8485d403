import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "../../../App";
import type { SearchHit } from "../../../ipc";
import { appError, mockCore } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import { useChatStore } from "../../chat/store/chatStore";

const target = conversation({ id: "c1", title: "Rust notes" });

const hits: SearchHit[] = [
  {
    conversationId: "c1",
    conversationTitle: "Rust notes",
    messageId: null,
    seq: null,
    role: null,
    snippet: [
      { text: "Rust ", hit: true },
      { text: "notes", hit: false },
    ],
    createdAt: target.updatedAt,
    archived: false,
  },
  {
    conversationId: "c1",
    conversationTitle: "Rust notes",
    messageId: "old",
    seq: 5,
    role: "assistant",
    snippet: [
      { text: "…use <b>", hit: false },
      { text: "rust", hit: true },
      { text: "</b> <img src=x onerror=alert(1)>", hit: false },
    ],
    createdAt: target.updatedAt,
    archived: true,
  },
];

/** A conversation whose first page starts at seq 100: seq 5 is two pages back. */
function longCore() {
  const older = (before: number) =>
    Array.from({ length: 50 }, (_, i) =>
      message({ id: `m${before - 50 + i}`, conversationId: "c1", seq: before - 50 + i }),
    ).filter((m) => m.seq > 0);
  return mockCore({
    listConversations: () => [target],
    search: (query) => (String(query) === "nothing" ? [] : hits),
    getConversation: () => ({ conversation: target, messages: older(150), hasMore: true }),
    listMessages: (_conversationId, beforeId) => {
      const page = older(Number(String(beforeId).replace(/^m/, ""))).map((m) =>
        m.seq === 5 ? { ...m, id: "old", content: "use rust" } : m,
      );
      return { messages: page, hasMore: (page[0]?.seq ?? 0) > 1 };
    },
  });
}

describe("search", () => {
  // jsdom does not scroll: a stand-in that moves the box and tells its listeners, as a
  // browser does, so the virtualized transcript draws the rows jumped to.
  const original = Object.getOwnPropertyDescriptor(Element.prototype, "scrollTo");
  beforeEach(() => {
    Element.prototype.scrollTo = function (this: Element, options?: ScrollToOptions | number) {
      const top = typeof options === "number" ? 0 : (options?.top ?? 0);
      Object.defineProperty(this, "scrollTop", { configurable: true, writable: true, value: top });
      this.dispatchEvent(new Event("scroll"));
    };
  });
  afterEach(() => {
    if (original) Object.defineProperty(Element.prototype, "scrollTo", original);
  });

  it("Ctrl+K focuses the box from anywhere, Esc clears it", async () => {
    longCore();
    const user = userEvent.setup();
    render(<App />);
    const box = await screen.findByRole("searchbox", { name: "Search conversations" });
    expect(box).not.toHaveFocus();

    fireEvent.keyDown(document.body, { key: "k", ctrlKey: true });
    expect(box).toHaveFocus();
    await user.type(box, "rust");
    expect(await screen.findAllByTestId("search-hit")).toHaveLength(2);

    await user.keyboard("{Escape}");
    expect(box).toHaveValue("");
    expect(screen.queryByTestId("search-results")).not.toBeInTheDocument();

    box.blur();
    fireEvent.keyDown(document.body, { key: "K", metaKey: true });
    expect(box).toHaveFocus();
  });

  it("marks the matches as text, never as HTML, and flags archived results", async () => {
    longCore();
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByRole("searchbox"), "rust");

    const [titleHit, messageHit] = await screen.findAllByTestId("search-hit");
    expect(within(titleHit!).getByText("Title matches")).toBeInTheDocument();
    expect(titleHit!.querySelector("mark")).toHaveTextContent("Rust");
    expect(messageHit!.querySelector("mark")).toHaveTextContent("rust");
    expect(messageHit).toHaveTextContent("…use <b>rust</b> <img src=x onerror=alert(1)>");
    expect(messageHit!.querySelector("img, b")).toBeNull();
    expect(within(messageHit!).getByText("Archived")).toBeInTheDocument();
  });

  it("says so when nothing matches, and when the search fails", async () => {
    longCore();
    const user = userEvent.setup();
    render(<App />);
    const box = await screen.findByRole("searchbox");
    await user.type(box, "nothing");
    expect(await screen.findByText("No matches")).toBeInTheDocument();

    mockCore({ listConversations: () => [], search: () => appError("database") });
    await user.type(box, "x");
    expect(await screen.findByText("The search failed.")).toBeInTheDocument();
  });

  it("Enter opens the conversation, pages back to the message and highlights it", async () => {
    const core = longCore();
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByRole("searchbox"), "rust");
    await screen.findAllByTestId("search-hit");

    await user.keyboard("{ArrowDown}{Enter}");

    await waitFor(() =>
      expect(useChatStore.getState().detail?.messages.some((m) => m.seq === 5)).toBe(true),
    );
    expect(core.calls.filter((c) => c.cmd === "list_messages").length).toBeGreaterThanOrEqual(2);
    const row = await waitFor(() => {
      const found = document.querySelector(".transcript__row--highlight");
      expect(found).not.toBeNull();
      return found;
    });
    expect(row).toHaveTextContent("use rust");
    await act(() => new Promise((r) => setTimeout(r, 2100)));
    expect(document.querySelector(".transcript__row--highlight")).toBeNull();
  });
});
