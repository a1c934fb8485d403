import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../App";
import { mockCore } from "../../../test/core";
import { conversation } from "../../../test/fixtures";
import { useChatStore } from "../../chat/store/chatStore";

describe("conversation sidebar", () => {
  it("lists conversations and opens one on click", async () => {
    const a = conversation({ id: "a", title: "Alpha" });
    const b = conversation({ id: "b", title: "" });
    mockCore({
      listConversations: () => [a, b],
      getConversation: (id) => ({
        conversation: id === "a" ? a : b,
        messages: [],
        hasMore: false,
      }),
    });
    const user = userEvent.setup();
    render(<App />);

    const rows = await screen.findAllByTestId("conversation-item");
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining("Alpha") as unknown,
      expect.stringContaining("New conversation") as unknown,
    ]);

    await user.click(within(rows[0]!).getByRole("button", { name: /^Alpha/ }));
    await waitFor(() => expect(useChatStore.getState().detail?.conversation.id).toBe("a"));
    expect(within(rows[0]!).getByRole("button", { name: /^Alpha/ })).toHaveAttribute(
      "aria-current",
      "page",
    );
  });

  it("creates a conversation with New chat", async () => {
    const created = conversation({ id: "n", title: "" });
    const core = mockCore({ listConversations: () => [], createConversation: () => created });
    const user = userEvent.setup();
    render(<App />);
    expect(await screen.findByText("No conversations yet")).toBeInTheDocument();

    await user.click(screen.getByTestId("new-chat"));

    expect(core.calls).toContainEqual({ cmd: "create_conversation", args: { title: null } });
    expect(await screen.findAllByTestId("conversation-item")).toHaveLength(1);
    expect(useChatStore.getState().currentId).toBe("n");
  });

  it("deletes only after confirmation", async () => {
    const a = conversation({ id: "a", title: "Alpha" });
    const core = mockCore({ listConversations: () => [a], deleteConversation: () => null });
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole("button", { name: "Delete “Alpha”" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent("Delete this conversation?");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(core.calls.map((c) => c.cmd)).not.toContain("delete_conversation");

    await user.click(screen.getByRole("button", { name: "Delete “Alpha”" }));
    await user.click(
      within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }),
    );

    expect(core.calls).toContainEqual({ cmd: "delete_conversation", args: { id: "a" } });
    await waitFor(() => expect(screen.queryAllByTestId("conversation-item")).toHaveLength(0));
  });

  it("says what to do when the core cannot be reached", async () => {
    // No mockIPC: as in a plain browser.
    render(<App />);

    expect(await screen.findByRole("alert")).toHaveTextContent(/Can't reach the Confab core/);
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
