import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../App";
import type { Conversation, ConversationQuery } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { conversation } from "../../../test/fixtures";

/** A core holding `items`, answering the management commands as the real one does. */
function coreWith(items: Conversation[]) {
  const list = ({ archived }: ConversationQuery) => {
    return items
      .filter((c) => (c.status === "archived") === archived)
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt);
  };
  const update = (id: unknown, change: Partial<Conversation>) => {
    const found = items.find((c) => c.id === id);
    if (!found) return appError("not_found");
    Object.assign(found, change);
    return { ...found };
  };
  return mockCore({
    listConversations: list,
    renameConversation: (id, title) =>
      String(title).trim() === ""
        ? invalidInput(problem("title", "required"))
        : update(id, { title: String(title) }),
    setConversationPinned: (id, pinned) => update(id, { pinned: Boolean(pinned) }),
    setConversationArchived: (id, archived) =>
      update(id, { status: archived ? "archived" : "active" }),
  });
}

const titles = () => screen.getAllByTestId("conversation-item").map((r) => r.textContent);

describe("conversation actions", () => {
  it("renames inline: Enter saves, Esc cancels, an empty title is refused", async () => {
    const core = coreWith([conversation({ id: "a", title: "Alpha" })]);
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole("button", { name: "Rename “Alpha”" }));
    const input = screen.getByRole("textbox", { name: "New title" });
    expect(input).toHaveValue("Alpha");
    await user.clear(input);
    await user.type(input, "Scratch{Escape}");
    expect(screen.queryByRole("textbox", { name: "New title" })).not.toBeInTheDocument();
    expect(titles()[0]).toContain("Alpha");
    expect(core.calls.map((c) => c.cmd)).not.toContain("rename_conversation");

    await user.click(screen.getByRole("button", { name: "Rename “Alpha”" }));
    await user.clear(screen.getByRole("textbox", { name: "New title" }));
    await user.type(screen.getByRole("textbox", { name: "New title" }), " {Enter}");
    const row = screen.getAllByTestId("conversation-item")[0]!;
    expect(await within(row).findByRole("alert")).toHaveTextContent("That input was not accepted");
    expect(screen.getByRole("textbox", { name: "New title" })).toHaveAttribute("aria-invalid");

    await user.type(screen.getByRole("textbox", { name: "New title" }), "Beta plan{Enter}");
    await waitFor(() => expect(titles()[0]).toContain("Beta plan"));
    expect(core.calls).toContainEqual({
      cmd: "rename_conversation",
      args: { id: "a", title: "Beta plan" },
    });
  });

  it("pins a conversation to the top with a pin mark, and unpins it", async () => {
    coreWith([
      conversation({ id: "new", title: "Newer", updatedAt: 2000 }),
      conversation({ id: "old", title: "Older", updatedAt: 1000 }),
    ]);
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Newer");
    expect(titles()[0]).toContain("Newer");

    await user.click(screen.getByRole("button", { name: "Pin “Older”" }));
    await waitFor(() => expect(titles()[0]).toContain("Older"));
    const first = screen.getAllByTestId("conversation-item")[0]!;
    expect(within(first).getByRole("img", { name: "Pinned" })).toBeInTheDocument();

    await user.click(within(first).getByRole("button", { name: "Unpin “Older”" }));
    await waitFor(() => expect(titles()[0]).toContain("Newer"));
    expect(screen.queryByRole("img", { name: "Pinned" })).not.toBeInTheDocument();
  });

  it("archives a conversation, shows it in the archive and brings it back", async () => {
    coreWith([
      conversation({ id: "a", title: "Alpha" }),
      conversation({ id: "b", title: "Bravo" }),
    ]);
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole("button", { name: "Archive “Alpha”" }));
    await waitFor(() => expect(titles()).toHaveLength(1));
    expect(titles()[0]).toContain("Bravo");

    await user.click(screen.getByRole("button", { name: "Show archived conversations" }));
    expect(await screen.findByRole("heading", { name: "Archived" })).toBeInTheDocument();
    await waitFor(() => expect(titles()).toEqual([expect.stringContaining("Alpha") as unknown]));

    await user.click(screen.getByRole("button", { name: "Move “Alpha” back from the archive" }));
    expect(await screen.findByText("No archived conversations")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Back to conversations" }));
    await waitFor(() => expect(titles()).toHaveLength(2));
  });

  it("shows a failed action next to the row and keeps the list", async () => {
    mockCore({
      listConversations: () => [conversation({ id: "a", title: "Alpha" })],
      setConversationPinned: () => appError("database", "disk I/O error"),
    });
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole("button", { name: "Pin “Alpha”" }));
    const row = screen.getAllByTestId("conversation-item")[0]!;
    expect(await within(row).findByRole("alert")).toBeInTheDocument();
    expect(titles()[0]).toContain("Alpha");
  });
});
