import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../App";
import type { ContextOverride, Message } from "../../../ipc";
import { appError, invalidInput, mockCore, problem, type Handlers } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import { useChatStore } from "../../chat/store/chatStore";

const conv = conversation({ id: "c", title: "Trip" });

function setup(extra: Handlers = {}, earlier: Message[] = []) {
  const messages: Message[] = [
    ...earlier,
    message({ id: "q", conversationId: "c", role: "user", content: "Plan a trip" }),
    message({ id: "a", conversationId: "c", role: "assistant", content: "Go to Kyoto" }),
  ];
  let stored: ContextOverride = {};
  let tokens = 1234;
  const core = mockCore({
    listConversations: () => [conv],
    getConversation: () => ({ conversation: conv, messages, hasMore: false }),
    getContextOverride: () => stored,
    listTemplates: () => [
      {
        id: "t1",
        name: "Concise",
        content: "Be brief.",
        isDefault: false,
        createdAt: 0,
        updatedAt: 0,
      },
    ],
    applyTemplate: () => {
      stored = { ...stored, systemPrompt: "Be brief." };
      return stored;
    },
    setContextOverride: (_conversationId, value) => {
      stored = value;
      tokens += 10;
      return stored;
    },
    previewContext: () => ({ messages: [], tokens, budget: 32000, knowledge: null }),
    setMessageInContext: (messageId, inContext) => {
      const found = messages.find((m) => m.id === messageId)!;
      found.inContext = Boolean(inContext);
      tokens -= 100;
      return { ...found };
    },
    editMessage: (messageId, content) => {
      const found = messages.find((m) => m.id === messageId)!;
      found.content = String(content);
      return { ...found };
    },
    deleteMessage: (messageId) => {
      // What hangs below it goes too: here, the rest of the line.
      const at = messages.findIndex((m) => m.id === messageId);
      return messages.splice(at).length;
    },
    countMessageSubtree: () => 1,
    ...extra,
  });
  return core;
}

async function openDrawer() {
  const user = userEvent.setup();
  render(<App />);
  await useChatStore.getState().open("c");
  await user.click(await screen.findByRole("button", { name: "Context" }));
  const drawer = await screen.findByRole("dialog", { name: "Context" });
  await within(drawer).findByText("1,234 / 32,000 tokens");
  return { user, drawer };
}

describe("context editor", () => {
  it("says which knowledge bases add passages on top of the messages", async () => {
    setup({
      previewContext: () => ({
        messages: [],
        tokens: 1234,
        budget: 32000,
        knowledge: { bases: ["Manuals", "Notes"], tokens: 2000, passages: 5 },
      }),
    });
    const { drawer } = await openDrawer();
    expect(within(drawer).getByTestId("context-knowledge").textContent).toBe(
      "Before each reply, up to 5 passages (2,000 tokens at most) from Manuals, Notes are added just before your question.",
    );
  });

  it("saves the system prompt and preset messages, and counts the tokens again", async () => {
    const core = setup();
    const { user, drawer } = await openDrawer();

    await user.type(within(drawer).getByLabelText("System prompt"), "Answer in French.");
    await user.click(within(drawer).getByRole("button", { name: "Add a message" }));
    await user.click(within(drawer).getByRole("button", { name: "Add a message" }));
    await user.type(within(drawer).getByLabelText("Text of message 1"), "First");
    await user.type(within(drawer).getByLabelText("Text of message 2"), "Second");
    await user.selectOptions(within(drawer).getByLabelText("Role of message 2"), "assistant");
    await user.click(within(drawer).getByRole("button", { name: "Move message 2 up" }));
    await user.click(within(drawer).getByTestId("context-save"));

    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "set_context_override",
        args: {
          conversationId: "c",
          value: {
            systemPrompt: "Answer in French.",
            presetMessages: [
              { role: "assistant", content: "Second" },
              { role: "user", content: "First" },
            ],
            excludedAttachments: null,
          },
        },
      }),
    );
    expect(await within(drawer).findByText("1,244 / 32,000 tokens")).toBeInTheDocument();
    expect(within(drawer).getByTestId("context-save")).toHaveTextContent("Saved");
  });

  it("shows field errors next to the fields, ours and the core's", async () => {
    const core = setup({
      setContextOverride: () => invalidInput(problem("systemPrompt", "too_long", { max: 20_000 })),
    });
    const { user, drawer } = await openDrawer();

    await user.click(within(drawer).getByRole("button", { name: "Add a message" }));
    await user.click(within(drawer).getByTestId("context-save"));
    expect(within(drawer).getByText("Write the message, or remove it.")).toBeInTheDocument();
    expect(core.calls.map((c) => c.cmd)).not.toContain("set_context_override");

    await user.click(within(drawer).getByRole("button", { name: "Remove message 1" }));
    await user.type(within(drawer).getByLabelText("System prompt"), "x");
    await user.click(within(drawer).getByTestId("context-save"));
    expect(
      await within(drawer).findByText("Too long: at most 20000 characters."),
    ).toBeInTheDocument();
    expect(within(drawer).getByLabelText("System prompt")).toHaveAttribute("aria-invalid");
  });

  it("applies a context template", async () => {
    setup();
    const { user, drawer } = await openDrawer();
    await user.selectOptions(within(drawer).getByLabelText("Context template"), "t1");
    await user.click(within(drawer).getByRole("button", { name: "Apply" }));
    await waitFor(() =>
      expect(within(drawer).getByLabelText("System prompt")).toHaveValue("Be brief."),
    );
  });

  it("excludes a message from the context, dims it in the chat and recounts", async () => {
    const core = setup();
    const { user, drawer } = await openDrawer();
    const row = within(drawer)
      .getAllByTestId("context-message")
      .find((r) => r.textContent?.includes("Go to Kyoto"))!;

    await user.click(within(row).getByRole("button", { name: "Exclude from context" }));

    expect(core.calls).toContainEqual({
      cmd: "set_message_in_context",
      args: { messageId: "a", inContext: false },
    });
    expect(await within(drawer).findByText("1,134 / 32,000 tokens")).toBeInTheDocument();
    expect(within(row).getByText("Excluded")).toBeInTheDocument();
    const dimmed = document.querySelectorAll(".transcript__row--excluded");
    expect(dimmed).toHaveLength(1);
    expect(dimmed[0]).toHaveTextContent("Go to Kyoto");
  });

  it("edits and deletes a message (after confirmation)", async () => {
    const core = setup();
    const { user, drawer } = await openDrawer();
    const row = () =>
      within(drawer)
        .getAllByTestId("context-message")
        .find((r) => r.textContent?.includes("Kyoto"));

    await user.click(within(row()!).getByRole("button", { name: "Edit message" }));
    const text = within(row()!).getByRole("textbox", { name: "Message text" });
    await user.clear(text);
    await user.type(text, "Go to Osaka");
    await user.click(within(drawer).getByTestId("context-edit-save"));
    await waitFor(() =>
      expect(useChatStore.getState().detail?.messages[1]?.content).toBe("Go to Osaka"),
    );

    const osaka = within(drawer)
      .getAllByTestId("context-message")
      .find((r) => r.textContent?.includes("Osaka"))!;
    await user.click(within(osaka).getByRole("button", { name: "Delete message" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Delete this message?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(core.calls).toContainEqual({ cmd: "delete_message", args: { messageId: "a" } });
    await waitFor(() => expect(useChatStore.getState().detail?.messages).toHaveLength(1));
  });

  it("says a reply is streaming when the core is busy", async () => {
    setup({ setMessageInContext: () => appError("busy", "a reply is streaming") });
    const { user, drawer } = await openDrawer();
    await user.click(within(drawer).getAllByRole("button", { name: "Exclude from context" })[0]!);
    expect(await within(drawer).findByText(/A reply is still being written/)).toBeInTheDocument();
    expect(document.querySelectorAll(".transcript__row--excluded")).toHaveLength(0);
  });

  it("draws only the rows in view when thousands of messages are loaded", async () => {
    const many = Array.from({ length: 2_000 }, (_, i) =>
      message({
        id: `m${i}`,
        seq: i + 1,
        conversationId: "c",
        role: i % 2 === 0 ? "user" : "assistant",
        content: `Message number ${i}`,
      }),
    );
    setup({ getConversation: () => ({ conversation: conv, messages: many, hasMore: false }) });
    const { drawer } = await openDrawer();

    const rows = await within(drawer).findAllByTestId("context-message");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(within(drawer).getByText("Message number 0")).toBeInTheDocument();
    expect(within(drawer).queryByText("Message number 1999")).not.toBeInTheDocument();
  });

  it("lists imported system and tool messages, which the chat does not draw", async () => {
    setup({}, [
      message({ id: "s", conversationId: "c", role: "system", content: "Obey the file" }),
      message({ id: "t", conversationId: "c", role: "tool", content: "tool said this" }),
    ]);
    const { drawer } = await openDrawer();
    const rows = within(drawer).getAllByTestId("context-message");
    expect(rows.map((row) => row.getAttribute("data-id"))).toEqual(["s", "t", "q", "a"]);
    expect(within(rows[0]!).getByText("System")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("Obey the file")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("Tool output")).toBeInTheDocument();
    expect(within(drawer).getAllByTestId("context-hidden-in-chat")).toHaveLength(2);
    expect(within(rows[2]!).queryByTestId("context-hidden-in-chat")).not.toBeInTheDocument();
  });

  it("lists a message's attachments and leaves one out when the context is saved", async () => {
    const photo = {
      type: "image" as const,
      sha256: "a".repeat(64),
      mime: "image/jpeg",
      name: "harbour.jpg",
      width: 1600,
      height: 1200,
    };
    const report = {
      type: "file" as const,
      sha256: "b".repeat(64),
      name: "report.pdf",
      mime: "application/pdf",
      bytes: 402_112,
      tokens: 7_440,
      pages: 12,
    };
    const core = setup({}, [
      message({
        id: "p",
        conversationId: "c",
        role: "user",
        content: "Same harbour?",
        parts: [{ type: "text", text: "Same harbour?" }, photo, report],
      }),
    ]);
    const { user, drawer } = await openDrawer();
    const items = within(drawer).getAllByTestId("context-attachment");
    expect(items.map((i) => i.querySelector(".context-attachment__name")?.textContent)).toEqual([
      "harbour.jpg",
      "report.pdf",
    ]);
    expect(items[1]).toHaveTextContent("7,440 tokens · 12 pages");

    const exclude = within(items[1]!).getByRole("button", {
      name: "Leave report.pdf out of the context",
    });
    await user.click(exclude);
    expect(within(items[1]!).getByText("Left out")).toBeInTheDocument();
    expect(
      within(items[1]!).getByRole("button", { name: "Send report.pdf again" }),
    ).toHaveAttribute("aria-pressed", "true");
    await user.click(within(drawer).getByTestId("context-save"));

    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "set_context_override",
        args: {
          conversationId: "c",
          value: { systemPrompt: null, presetMessages: null, excludedAttachments: [report.sha256] },
        },
      }),
    );
  });
});
