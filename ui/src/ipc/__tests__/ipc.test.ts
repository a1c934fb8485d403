import { describe, expect, it, vi } from "vitest";
import { appError, channelSender, invalidInput, mockCore, problem } from "../../test/core";
import { conversation, message, startedEvent } from "../../test/fixtures";
import * as ipc from "..";
import type { ChatEvent } from "..";

describe("ipc wrapper", () => {
  it("returns the data of a successful command and passes camelCase arguments", async () => {
    const c = conversation();
    const core = mockCore({ listConversations: () => [c] });

    await expect(ipc.listConversations(50, 10, { agentId: "a1" })).resolves.toEqual([c]);
    expect(core.calls).toEqual([
      {
        cmd: "list_conversations",
        args: { query: { limit: 50, offset: 10, agentId: "a1", archived: false } },
      },
    ]);
  });

  it("turns a command's AppError into an IpcError with the same code and message", async () => {
    mockCore({ getConversation: () => appError("not_found", "conversation 42 does not exist") });

    const error = await ipc.getConversation("42").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ipc.IpcError);
    expect(error).toMatchObject({ code: "not_found", message: "conversation 42 does not exist" });
  });

  it("treats an error code this build does not know as internal, keeping the message", async () => {
    mockCore({ deleteConversation: () => appError("quota_exceeded", "over quota") });

    await expect(ipc.deleteConversation("1")).rejects.toMatchObject({
      code: "internal",
      message: "over quota",
    });
  });

  it("maps a bare string rejection from Tauri to internal", async () => {
    mockCore({});

    await expect(ipc.getProviderKeyStatus("p1")).rejects.toMatchObject({
      code: "internal",
      message: "command get_provider_key_status not found",
    });
  });

  it("maps a failing infallible command to an IpcError too", async () => {
    mockCore({ listProviderPresets: () => Promise.reject(new Error("ipc broke")) });

    await expect(ipc.listProviderPresets()).rejects.toMatchObject({
      code: "internal",
      message: "ipc broke",
    });
  });

  it("reports unavailable when the page runs without the desktop shell", async () => {
    // No mockIPC: this is a plain browser as far as the wrapper can tell.
    await expect(ipc.listConversations(10)).rejects.toMatchObject({ code: "unavailable" });
    await expect(ipc.sendMessage("c", "hi", [], () => {})).rejects.toMatchObject({
      code: "unavailable",
    });
  });

  it("streams chat events through a channel to the callback, in order", async () => {
    const userMessage = message({ conversationId: "c1", role: "user", content: "hi" });
    const reply = message({ conversationId: "c1", content: "Hello there" });
    const events: ChatEvent[] = [
      startedEvent(userMessage),
      { event: "delta", data: { text: "Hello" } },
      { event: "delta", data: { text: " there" } },
      { event: "done", data: { message: reply } },
    ];
    const core = mockCore({
      sendMessage: (_conversationId, _text, _attachments, onEvent) => {
        const channel = channelSender(onEvent);
        events.forEach((e) => channel.send(e));
        channel.end();
        return "s1";
      },
    });
    const received = vi.fn<(e: ChatEvent) => void>();

    await expect(ipc.sendMessage("c1", "hi", [], received)).resolves.toBe("s1");

    expect(core.calls[0]?.args).toMatchObject({
      conversationId: "c1",
      text: "hi",
      attachments: [],
    });
    expect(received.mock.calls.map(([e]) => e)).toEqual(events);
  });

  it("passes each chat command its arguments and a channel of its own", async () => {
    const core = mockCore({
      regenerate: () => "s2",
      editAndResend: () => "s3",
      cancelStream: () => null,
      attachStream: () => null,
    });
    const noop = () => {};

    await expect(ipc.regenerate("c1", noop)).resolves.toBe("s2");
    await expect(ipc.editAndResend("m1", "new text", [], noop)).resolves.toBe("s3");
    await expect(ipc.cancelStream("s2")).resolves.toBeUndefined();
    await expect(ipc.attachStream("s3", noop)).resolves.toBeUndefined();

    expect(core.calls.map((c) => c.cmd)).toEqual([
      "regenerate",
      "edit_and_resend",
      "cancel_stream",
      "attach_stream",
    ]);
    expect(core.calls[0]?.args).toMatchObject({ conversationId: "c1" });
    expect(core.calls[1]?.args).toMatchObject({ messageId: "m1", text: "new text" });
    expect(core.calls[2]?.args).toEqual({ streamId: "s2" });
    expect(core.calls[3]?.args).toMatchObject({ streamId: "s3" });
    const channels = [core.calls[0], core.calls[1], core.calls[3]].map(
      (c) => (c?.args.onEvent as { id: number }).id,
    );
    expect(new Set(channels).size).toBe(3);
  });

  it("sends the attachment commands their arguments under the core's names", async () => {
    const part = { type: "image" as const, sha256: "ab", mime: "image/png", name: "a.png" };
    const core = mockCore({
      chooseAttachmentPaths: () => ["/a.png"],
      attachPath: () => part,
      attachBytes: () => part,
      cancelAttach: () => undefined,
      attachmentText: () => ({ text: "x", chars: 1, pages: null, truncated: false }),
      imageDataUrl: () => "data:image/png;base64,AA==",
      modelCapabilities: () => ({ vision: false, source: "known" }),
      setModelVision: () => ({ vision: true, source: "user" }),
      attachmentFit: () => ({ tokens: 9, budget: 8, pagesThatFit: 1 }),
    });

    await ipc.chooseAttachmentPaths();
    await ipc.attachPath("k1", "/a.png");
    await ipc.attachBytes("k2", "a.png", "AA==");
    await ipc.cancelAttach("k1");
    await ipc.attachmentText("ab", 20000);
    await ipc.imageDataUrl("ab");
    await ipc.modelCapabilities("p1", "deepseek-chat");
    await ipc.setModelVision("p1", "deepseek-chat", null);
    await ipc.attachmentFit("c1", "ab");

    expect(core.calls).toEqual([
      { cmd: "choose_attachment_paths", args: {} },
      { cmd: "attach_path", args: { attachId: "k1", path: "/a.png" } },
      { cmd: "attach_bytes", args: { attachId: "k2", name: "a.png", dataBase64: "AA==" } },
      { cmd: "cancel_attach", args: { attachId: "k1" } },
      { cmd: "attachment_text", args: { sha256: "ab", maxChars: 20000 } },
      { cmd: "image_data_url", args: { sha256: "ab" } },
      { cmd: "model_capabilities", args: { providerId: "p1", model: "deepseek-chat" } },
      { cmd: "set_model_vision", args: { providerId: "p1", model: "deepseek-chat", vision: null } },
      { cmd: "attachment_fit", args: { conversationId: "c1", sha256: "ab" } },
    ]);
  });

  it("delivers an attached stream's snapshot, then its live events", async () => {
    const events: ChatEvent[] = [
      {
        event: "snapshot",
        data: {
          streamId: "s1",
          conversationId: "c1",
          text: "Hello",
          reasoning: "",
          steps: [],
          awaitingApproval: [],
        },
      },
      { event: "delta", data: { text: " again" } },
    ];
    mockCore({
      attachStream: (_streamId, onEvent) => {
        const channel = channelSender(onEvent);
        events.forEach((e) => channel.send(e));
        return null;
      },
    });
    const received = vi.fn<(e: ChatEvent) => void>();

    await ipc.attachStream("s1", received);

    expect(received.mock.calls.map(([e]) => e)).toEqual(events);
  });

  it("reports a stream that has already ended as not_found", async () => {
    mockCore({ cancelStream: () => appError("not_found", "stream s9 does not exist") });

    await expect(ipc.cancelStream("s9")).rejects.toMatchObject({ code: "not_found" });
  });

  it("lists active streams and round-trips settings", async () => {
    const active = [{ streamId: "s1", conversationId: "c1", startedAt: 1, receivedBytes: 12 }];
    const settings = {
      language: null,
      theme: "dark",
      maxConcurrentStreams: 4,
      requestsPerMinute: 0,
      stallTimeoutSecs: 60,
      autoTitle: true,
      debugCapture: false,
      logLevel: "info",
    };
    const core = mockCore({
      listActiveStreams: () => active,
      getSettings: () => settings,
      setSettings: (settings) => settings,
    });

    await expect(ipc.listActiveStreams()).resolves.toEqual(active);
    await expect(ipc.getSettings()).resolves.toEqual(settings);
    await expect(ipc.setSettings({ ...settings, theme: "light" })).resolves.toMatchObject({
      theme: "light",
    });
    expect(core.calls[2]).toEqual({
      cmd: "set_settings",
      args: { settings: { ...settings, theme: "light" } },
    });
  });

  it("passes the core's problems through with invalid_input", async () => {
    const tooMany = problem("maxConcurrentStreams", "out_of_range", { min: 1, max: 32 });
    mockCore({ setSettings: () => invalidInput(tooMany) });

    await expect(ipc.setSettings({ maxConcurrentStreams: 99 })).rejects.toMatchObject({
      code: "invalid_input",
      message: "maxConcurrentStreams: out_of_range",
      problems: [tooMany],
    });
  });

  it("keeps only well-formed problems, and none when the core sent none", () => {
    const good = problem("name", "required");
    const error = ipc.toIpcError({
      code: "invalid_input",
      message: "m",
      problems: [good, { path: 3 }, null, { path: "x", rule: "required" }],
    });
    expect(error.problems).toEqual([good]);
    expect(ipc.toIpcError({ code: "busy", message: "m" }).problems).toEqual([]);
  });
});
