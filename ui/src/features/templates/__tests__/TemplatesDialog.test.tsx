import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../App";
import type { ContextOverride, ContextTemplate } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { conversation } from "../../../test/fixtures";
import { useChatStore } from "../../chat/store/chatStore";

const conv = conversation({ id: "c", title: "Trip" });

function template(id: string, name: string, content: string, isDefault = false): ContextTemplate {
  return { id, name, content, isDefault, createdAt: 0, updatedAt: 0 };
}

/** A core holding templates the way the real one does: the default first, then by name. */
function setup() {
  let templates = [template("t1", "Concise", "Be brief.")];
  let stored: ContextOverride = {};
  const sorted = () =>
    [...templates].sort(
      (a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name),
    );
  return mockCore({
    listConversations: () => [conv],
    getConversation: () => ({ conversation: conv, messages: [], hasMore: false }),
    getContextOverride: () => stored,
    previewContext: () => ({ messages: [], tokens: 10, budget: 32000, knowledge: null }),
    listTemplates: sorted,
    createTemplate: (input) => {
      const { name, content } = input;
      if (name === "taken") return invalidInput(problem("name", "too_long", { max: 100 }));
      const created = template(`t${templates.length + 1}`, name!, content!);
      templates.push(created);
      return created;
    },
    updateTemplate: (id, input) => {
      templates = templates.map((t) => (t.id === id ? { ...t, ...input } : t));
      return templates.find((t) => t.id === id) ?? appError("not_found", "no such template");
    },
    deleteTemplate: (id) => {
      templates = templates.filter((t) => t.id !== id);
      return null;
    },
    setDefaultTemplate: (id) => {
      templates = templates.map((t) => ({ ...t, isDefault: t.id === id }));
      return null;
    },
    applyTemplate: (_conversationId, templateId) => {
      stored = { systemPrompt: templates.find((t) => t.id === templateId)!.content };
      return stored;
    },
  });
}

async function openManager() {
  const user = userEvent.setup();
  render(<App />);
  await useChatStore.getState().open("c");
  await user.click(await screen.findByRole("button", { name: "Context" }));
  const drawer = await screen.findByRole("dialog", { name: "Context" });
  await within(drawer).findByTestId("context-template");
  await user.click(within(drawer).getByTestId("context-manage-templates"));
  const manager = await screen.findByRole("dialog", { name: "Context templates" });
  await within(manager).findAllByTestId("template-item");
  return { user, drawer, manager };
}

describe("context templates", () => {
  it("creates a default template that the drawer then offers first and applies", async () => {
    const core = setup();
    const { user, drawer, manager } = await openManager();

    await user.click(within(manager).getByTestId("template-new"));
    await user.click(within(manager).getByTestId("template-save"));
    // Nothing reaches the core while a field is blank; each says so beside itself.
    expect(within(manager).getByTestId("template-error-name")).toHaveTextContent(
      "Enter a name of 1 to 100 characters.",
    );
    expect(within(manager).getByTestId("template-error-content")).toHaveTextContent(
      "Write the template's text.",
    );
    expect(within(manager).getByTestId("template-name")).toHaveAttribute("aria-invalid", "true");
    expect(core.calls.some((c) => c.cmd === "create_template")).toBe(false);

    await user.type(within(manager).getByTestId("template-name"), "Reviewer");
    await user.type(within(manager).getByTestId("template-content"), "Review strictly.");
    await user.click(within(manager).getByTestId("template-default"));
    await user.click(within(manager).getByTestId("template-save"));
    expect(await within(manager).findByText("Template saved.")).toBeInTheDocument();
    expect(core.calls.find((c) => c.cmd === "set_default_template")?.args).toEqual({ id: "t2" });
    expect(
      within(manager)
        .getAllByTestId("template-item")
        .map((i) => i.textContent),
    ).toEqual(["ReviewerDefault", "Concise"]);

    await user.keyboard("{Escape}");
    await waitFor(() =>
      expect(screen.queryByRole("dialog", { name: "Context templates" })).toBeNull(),
    );
    const picker = within(drawer).getByTestId<HTMLSelectElement>("context-template");
    expect(picker).toHaveValue("t2");
    expect(picker.selectedOptions[0]).toHaveTextContent("Reviewer (default)");
    await user.click(within(drawer).getByTestId("context-apply-template"));
    await waitFor(() =>
      expect(within(drawer).getByLabelText("System prompt")).toHaveValue("Review strictly."),
    );
    expect(core.calls.find((c) => c.cmd === "apply_template")?.args).toEqual({
      conversationId: "c",
      templateId: "t2",
    });
  });

  it("edits and deletes a template, and shows the core's refusal translated", async () => {
    const core = setup();
    const { user, manager } = await openManager();

    const content = within(manager).getByTestId("template-content");
    await user.clear(content);
    await user.type(content, "Be very brief.");
    await user.click(within(manager).getByTestId("template-save"));
    await within(manager).findByText("Template saved.");
    expect(core.calls.find((c) => c.cmd === "update_template")?.args).toEqual({
      id: "t1",
      input: { name: "Concise", content: "Be very brief." },
    });

    await user.click(within(manager).getByTestId("template-new"));
    await user.type(within(manager).getByTestId("template-name"), "taken");
    await user.type(within(manager).getByTestId("template-content"), "x");
    await user.click(within(manager).getByTestId("template-save"));
    const error = await within(manager).findByTestId("template-error-name");
    expect(error).toHaveTextContent("Too long: at most 100 characters.");

    await user.click(within(manager).getAllByTestId("template-item")[0]!);
    await user.click(within(manager).getByTestId("template-delete"));
    await user.click(within(manager).getByTestId("template-delete-confirm"));
    await waitFor(() => expect(within(manager).queryAllByTestId("template-item")).toHaveLength(0));
    expect(within(manager).getByText("No templates yet.")).toBeInTheDocument();
  });
});
