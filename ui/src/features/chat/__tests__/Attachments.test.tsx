import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Part } from "../../../ipc";
import { showConversation } from "../../../test/chat";
import {
  attachmentCore,
  emitEvent,
  invalidInput,
  manualStream,
  mockCore,
  problem,
  type Handlers,
} from "../../../test/core";
import { conversation, message, testAgent } from "../../../test/fixtures";
import { DEFAULT_PREFERENCES, usePreferences } from "../../settings/store/preferencesStore";
import { ChatPane } from "../components/ChatPane";
import { useChatStore } from "../store/chatStore";

const conv = conversation({ id: "c1", title: "Harbour" });

/** The chat pane on an open conversation, with the attachment commands of the fake core. */
function setup(extra: Handlers = {}, { slowMs = 0, paths = ["/home/you/harbour.jpg"] } = {}) {
  const attachments = attachmentCore(slowMs);
  const stream = manualStream("s1");
  const core = mockCore({
    ...attachments.handlers,
    chooseAttachmentPaths: () => paths,
    sendMessage: stream.handler,
    listConversations: () => [conv],
    listProviders: () => [],
    ...extra,
  });
  showConversation(conv, []);
  usePreferences.setState({
    value: { ...DEFAULT_PREFERENCES, defaultProviderId: "p1" },
    status: "ready",
  });
  const user = userEvent.setup();
  render(<ChatPane />);
  return { core, user, attachments, stream };
}

const sent = (core: ReturnType<typeof mockCore>) =>
  core.calls.find((c) => c.cmd === "send_message")?.args as
    { text: string; attachments: Part[] } | undefined;

describe("the composer's attachments", () => {
  it("attaches chosen files as chips, removes one, and sends the rest without text", async () => {
    const { core, user } = setup(
      {},
      {
        paths: ["/home/you/harbour.jpg", "/home/you/notes.md", "/home/you/report.pdf"],
      },
    );
    // An agent on a model that sees images: no warning.
    useChatStore.setState({ agent: testAgent({ providerId: "p1", model: "gpt-4o" }) });

    await user.click(screen.getByRole("button", { name: "Attach images or files" }));
    const list = await screen.findByRole("list", { name: "Attachments" });
    await waitFor(() => expect(within(list).getAllByTestId("attachment")).toHaveLength(3));

    const image = within(list).getAllByTestId("attachment")[0]!;
    expect(image).toHaveTextContent("harbour.jpg");
    expect(image).toHaveTextContent("1,600 × 1,200");
    const thumb = await within(image).findByRole("img", { name: "harbour.jpg" });
    expect(thumb.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    const pdf = within(list).getAllByTestId("attachment")[2]!;
    expect(pdf).toHaveTextContent("report.pdf");
    expect(pdf).toHaveTextContent(/kB · 7,440 tokens · 12 pages/);

    await user.click(screen.getByRole("button", { name: "Remove notes.md" }));
    expect(within(list).getAllByTestId("attachment")).toHaveLength(2);

    expect(screen.getByTestId("send-button")).toBeEnabled();
    await user.click(screen.getByTestId("send-button"));
    const args = sent(core)!;
    expect(args.text).toBe("");
    expect(
      args.attachments.map((p) => (p.type === "file" || p.type === "image" ? p.name : "")),
    ).toEqual(["harbour.jpg", "report.pdf"]);
    expect(screen.queryByRole("list", { name: "Attachments" })).not.toBeInTheDocument();
  });

  it("attaches a pasted image by its bytes, and leaves pasted text alone", async () => {
    const { core } = setup();
    const input = screen.getByTestId("message-input");
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], "image.png", {
      type: "image/png",
    });
    fireEvent.paste(input, { clipboardData: { files: [png], getData: () => "" } });

    expect(await screen.findByTestId("attachment")).toHaveTextContent("image.png");
    const call = core.calls.find((c) => c.cmd === "attach_bytes");
    expect(call?.args).toMatchObject({ name: "image.png", dataBase64: "iVBORwECAw==" });

    fireEvent.paste(input, { clipboardData: { files: [png], getData: () => "some text" } });
    expect(core.calls.filter((c) => c.cmd === "attach_bytes")).toHaveLength(1);
  });

  it("refuses a pasted file over the size limit without reading it", async () => {
    const { core } = setup();
    act(() => usePreferences.setState({ value: { ...DEFAULT_PREFERENCES, maxAttachmentMib: 1 } }));
    const big = new File([new Uint8Array(1024 * 1024 + 1)], "video.png", { type: "image/png" });
    fireEvent.paste(screen.getByTestId("message-input"), {
      clipboardData: { files: [big], getData: () => "" },
    });
    expect(await screen.findByTestId("attachment-error")).toHaveTextContent(
      "“video.png” was not attached: Too large: at most 1 MB.",
    );
    expect(core.calls.some((c) => c.cmd === "attach_bytes")).toBe(false);
  });

  it("tells why a file was not attached, translated, and lets it be dismissed", async () => {
    const { user } = setup({}, { paths: ["/home/you/scan.pdf", "C:\\Users\\you\\setup.exe"] });
    await user.click(screen.getByTestId("attach-button"));
    const errors = await screen.findAllByTestId("attachment-error");
    expect(errors.map((e) => e.querySelector(".notice__title")?.textContent)).toEqual([
      "“scan.pdf” was not attached: No text found: this looks like a scanned document. Attach it as images, or use a PDF with a text layer.",
      "“setup.exe” was not attached: This kind of file cannot be attached yet.",
    ]);
    await user.click(within(errors[0]!).getByRole("button", { name: "Dismiss" }));
    expect(screen.getAllByTestId("attachment-error")).toHaveLength(1);
    expect(screen.getByTestId("send-button")).toBeDisabled();
  });

  it("shows a slow file being read, and stops reading it on Cancel", async () => {
    const { core, user } = setup({}, { slowMs: 300, paths: ["/home/you/slow-log.txt"] });
    await user.click(screen.getByTestId("attach-button"));
    const reading = await screen.findByTestId("attachment-reading");
    expect(reading).toHaveTextContent("slow-log.txt");
    expect(within(reading).getByRole("status")).toBeInTheDocument();
    await user.type(screen.getByTestId("message-input"), "Look");
    expect(screen.getByTestId("send-button")).toBeDisabled();

    await user.click(within(reading).getByRole("button", { name: "Stop reading slow-log.txt" }));
    expect(screen.queryByTestId("attachment-reading")).not.toBeInTheDocument();
    const cancel = core.calls.find((c) => c.cmd === "cancel_attach");
    const attach = core.calls.find((c) => c.cmd === "attach_path");
    expect(cancel?.args.attachId).toBe(attach?.args.attachId);
    // The read ends as cancelled: no chip, no error.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(screen.queryByTestId("attachment")).not.toBeInTheDocument();
    expect(screen.queryByTestId("attachment-error")).not.toBeInTheDocument();
    expect(screen.getByTestId("send-button")).toBeEnabled();
  });

  it("attaches files dropped on the window, and shows where they go while dragged", async () => {
    setup();
    // The listeners are in place once the composer has asked for them.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    act(() => emitEvent("tauri://drag-over", { position: { x: 10, y: 10 } }));
    expect(screen.getByTestId("composer-box")).toHaveClass("composer__box--drop");
    expect(screen.getByTestId("message-input")).toHaveAttribute(
      "placeholder",
      "Drop files to attach them",
    );
    act(() =>
      emitEvent("tauri://drag-drop", { paths: ["/tmp/plan.md"], position: { x: 10, y: 10 } }),
    );
    expect(screen.getByTestId("composer-box")).not.toHaveClass("composer__box--drop");
    expect(await screen.findByTestId("attachment")).toHaveTextContent("plan.md");
  });

  it("warns before sending images to a model that cannot see them, until told it can", async () => {
    const { core, user } = setup();
    useChatStore.setState({ agent: testAgent({ providerId: "p1", model: "deepseek-chat" }) });
    await user.type(screen.getByTestId("message-input"), "What is this?");
    await user.click(screen.getByTestId("attach-button"));

    const warning = await screen.findByTestId("vision-warning");
    expect(warning).toHaveTextContent("deepseek-chat cannot see images.");
    expect(screen.getByTestId("send-button")).toBeDisabled();

    await user.click(within(warning).getByRole("button", { name: "This model can see images" }));
    await waitFor(() => expect(screen.queryByTestId("vision-warning")).not.toBeInTheDocument());
    expect(core.calls).toContainEqual({
      cmd: "set_model_vision",
      args: { providerId: "p1", model: "deepseek-chat", vision: true },
    });
    expect(screen.getByTestId("send-button")).toBeEnabled();
  });

  it("checks the default provider's model when the conversation has no agent", async () => {
    setup({
      listProviders: () => [
        {
          id: "p1",
          name: "Local",
          kind: "openai-compatible",
          baseUrl: "http://localhost:11434/v1",
          defaultModel: "llama3.1",
          extraHeaders: {},
          secretHeaders: {},
          keySet: false,
          createdAt: 0,
          updatedAt: 0,
        },
      ],
    });
    await userEvent.setup().click(screen.getByTestId("attach-button"));
    expect(await screen.findByTestId("vision-warning")).toHaveTextContent(
      "llama3.1 cannot see images.",
    );
  });

  it("says when a file is longer than the context, and offers its first pages", async () => {
    const { core, user } = setup({}, { paths: ["/home/you/handbook.pdf"] });
    await user.click(screen.getByTestId("attach-button"));
    const chip = await screen.findByTestId("attachment");
    expect(await within(chip).findByTestId("attachment-too-long")).toHaveTextContent(
      "Longer than this conversation's context: 86,800 tokens, 16,000 fit.",
    );
    await user.click(within(chip).getByRole("button", { name: "Send the first 25 pages" }));
    expect(chip).toHaveTextContent("Only the first 25 pages are sent.");
    expect(core.calls.find((c) => c.cmd === "attachment_fit")?.args).toMatchObject({
      conversationId: "c1",
    });

    await user.click(screen.getByTestId("send-button"));
    const [part] = sent(core)!.attachments;
    expect(part).toMatchObject({ type: "file", name: "handbook.pdf", pagesSent: 25 });
  });

  it("puts the attachments back when the core refuses the message", async () => {
    const { user } = setup({
      sendMessage: () =>
        invalidInput(problem("attachments", "model_cannot_see_images", { value: "m" })),
    });
    await user.click(screen.getByTestId("attach-button"));
    await screen.findByRole("img", { name: "harbour.jpg" });
    await user.click(screen.getByTestId("send-button"));
    expect(await screen.findByTestId("error-banner")).toHaveTextContent(
      "m cannot see images. Remove the images",
    );
    expect(screen.getByTestId("attachment")).toHaveTextContent("harbour.jpg");
  });
});

describe("sent attachments", () => {
  async function sentMessage() {
    const store = attachmentCore();
    const photo = await store.handlers.attachPath("a", "/p/harbour.jpg");
    const report = await store.handlers.attachPath("b", "/p/report.pdf");
    const question = message({
      id: "q1",
      conversationId: "c1",
      role: "user",
      content: "Same harbour?",
      parts: [{ type: "text", text: "Same harbour?" }, photo, report],
    });
    return { store, photo, report, question };
  }

  it("shows images large on a click (Esc closes) and a file's text", async () => {
    const { store, question } = await sentMessage();
    showConversation(conv, [question]);
    const core = mockCore({ ...store.handlers });
    const user = userEvent.setup();
    render(<ChatPane />);

    const shown = screen.getByTestId("message-attachments");
    await user.click(within(shown).getByRole("button", { name: "View image harbour.jpg" }));
    const viewer = await screen.findByRole("dialog", { name: "harbour.jpg" });
    expect(within(viewer).getByRole("img", { name: "harbour.jpg" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    const chip = within(shown).getByRole("button", { name: "Preview the text of report.pdf" });
    expect(chip).toHaveTextContent("12 pages");
    await user.click(chip);
    const preview = await screen.findByRole("dialog", { name: "report.pdf" });
    expect(await within(preview).findByTestId("file-preview-text")).toHaveTextContent(
      "Page 1 This is sample text",
    );
    expect(core.calls.find((c) => c.cmd === "attachment_text")?.args).toMatchObject({
      maxChars: 20000,
    });
  });

  it("keeps a message's attachments on edit & resend, but for those removed", async () => {
    const { store, report, question } = await sentMessage();
    showConversation(conv, [question]);
    const stream = manualStream("s2");
    const core = mockCore({ ...store.handlers, editAndResend: stream.handler });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.click(screen.getByTestId("edit-message"));
    const editor = screen.getByTestId("message-editor");
    expect(within(editor).getAllByTestId("attachment")).toHaveLength(2);
    await user.click(within(editor).getByRole("button", { name: "Remove harbour.jpg" }));
    await user.click(within(editor).getByTestId("edit-save"));

    expect(core.calls.find((c) => c.cmd === "edit_and_resend")?.args).toMatchObject({
      messageId: "q1",
      text: "Same harbour?",
      attachments: [report],
    });
  });

  it("shows a message of attachments only without an empty line of text", async () => {
    const { store, photo } = await sentMessage();
    const only = message({ conversationId: "c1", role: "user", content: "", parts: [photo] });
    showConversation(conv, [only]);
    mockCore({ ...store.handlers });
    render(<ChatPane />);
    expect(screen.getByTestId("message").querySelector(".message__plain")).toBeNull();
    expect(screen.getByRole("button", { name: "View image harbour.jpg" })).toBeInTheDocument();
  });

  it("shows outside names as text, and only image data URLs as images", async () => {
    const hostile = '<img src=x onerror="alert(1)">.png';
    const photo: Part = { type: "image", sha256: "c".repeat(64), mime: "image/png", name: hostile };
    const only = message({ conversationId: "c1", role: "user", content: "", parts: [photo] });
    showConversation(conv, [only]);
    const core = mockCore({ imageDataUrl: () => "javascript:alert(1)" });
    render(<ChatPane />);
    const button = screen.getByRole("button", { name: `View image ${hostile}` });
    await waitFor(() => expect(core.calls.some((c) => c.cmd === "image_data_url")).toBe(true));
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(button.querySelector("img")).toBeNull();
    expect(document.querySelector("img[src^='javascript']")).toBeNull();
    expect(document.querySelector("img[onerror]")).toBeNull();
  });
});
