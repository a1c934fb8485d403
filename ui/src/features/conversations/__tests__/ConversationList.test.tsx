import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockCore } from "../../../test/core";
import { conversation } from "../../../test/fixtures";
import { ConversationList } from "../components/ConversationList";
import { PAGE_SIZE, useConversationsStore } from "../store/conversationsStore";

const all = Array.from({ length: 10_000 }, (_, i) =>
  conversation({ id: `c${i}`, title: `Chat ${i}` }),
);

describe("ConversationList", () => {
  it("draws a window of rows and fetches the next page near the end", async () => {
    const core = mockCore({
      listConversations: (query) => {
        const { limit, offset } = query;
        return all.slice(offset, offset + limit);
      },
    });
    render(<ConversationList />);
    await act(() => useConversationsStore.getState().load());

    const rows = screen.getAllByTestId("conversation-item");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toHaveAttribute("aria-setsize", String(PAGE_SIZE));
    expect(rows[0]).toHaveAttribute("aria-posinset", "1");

    // Scroll to the end of the first page: the next pages are asked for, each once.
    const scroller = document.querySelector<HTMLElement>("[data-scroller]")!;
    Object.defineProperty(scroller, "scrollTop", { configurable: true, value: 100 * 195 });
    fireEvent.scroll(scroller);
    await waitFor(() =>
      expect(useConversationsStore.getState().items.length).toBeGreaterThanOrEqual(400),
    );
    const pages = core.calls.filter((c) => c.cmd === "list_conversations").map((c) => c.args);
    expect(pages).toEqual(
      pages.map((_, i) => ({
        query: { limit: PAGE_SIZE, offset: i * PAGE_SIZE, agentId: null, archived: false },
      })),
    );
    const ids = useConversationsStore.getState().items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(useConversationsStore.getState().hasMore).toBe(true);
  });

  it("stops asking once a short page arrives", async () => {
    mockCore({
      listConversations: (query) => {
        const { limit, offset } = query;
        return all.slice(offset, Math.min(250, offset + limit));
      },
    });
    await useConversationsStore.getState().load();
    await useConversationsStore.getState().loadMore();
    expect(useConversationsStore.getState().items).toHaveLength(250);
    expect(useConversationsStore.getState().hasMore).toBe(false);
  });
});
