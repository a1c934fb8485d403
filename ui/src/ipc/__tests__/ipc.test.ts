import { describe, expect, it, vi } from "vitest";
import { appError, channelSender, mockCore } from "../../test/core";
import { conversation, message } from "../../test/fixtures";
import * as ipc from "..";
import type { ChatEvent } from "..";

describe("ipc wrapper", () => {
  it("returns the data of a successful command and passes camelCase arguments", async () => {
    const c = conversation();
    const core = mockCore({ list_conversations: () => [c] });

    await expect(ipc.listConversations(50, 10)).resolves.toEqual([c]);
    expect(core.calls).toEqual([{ cmd: "list_conversations", args: { limit: 50, offset: 10 } }]);
  });

  it("turns a command's AppError into an IpcError with the same code and message", async () => {
    mockCore({ get_conversation: () => appError("not_found", "conversation 42 does not exist") });

    const error = await ipc.getConversation("42").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ipc.IpcError);
    expect(error).toMatchObject({ code: "not_found", message: "conversation 42 does not exist" });
  });

  it("treats an error code this build does not know as internal, keeping the message", async () => {
    mockCore({ delete_conversation: () => appError("quota_exceeded", "over quota") });

    await expect(ipc.deleteConversation("1")).rejects.toMatchObject({
      code: "internal",
      message: "over quota",
    });
  });

  it("maps a bare string rejection from Tauri to internal", async () => {
    mockCore({});

    await expect(ipc.getApiKeyStatus()).rejects.toMatchObject({
      code: "internal",
      message: "command get_api_key_status not found",
    });
  });

  it("maps a failing infallible command to an IpcError too", async () => {
    mockCore({ get_provider_info: () => Promise.reject(new Error("ipc broke")) });

    await expect(ipc.getProviderInfo()).rejects.toMatchObject({
      code: "internal",
      message: "ipc broke",
    });
  });

  it("reports unavailable when the page runs without the desktop shell", async () => {
    // No mockIPC: this is a plain browser as far as the wrapper can tell.
    await expect(ipc.listConversations(10)).rejects.toMatchObject({ code: "unavailable" });
    await expect(ipc.sendMessage("c", "hi", () => {})).rejects.toMatchObject({
      code: "unavailable",
    });
  });

  it("streams chat events through a channel to the callback, in order", async () => {
    const userMessage = message({ conversationId: "c1", role: "user", content: "hi" });
    const reply = message({ conversationId: "c1", content: "Hello there" });
    const events: ChatEvent[] = [
      { event: "started", data: { streamId: "s1", conversationId: "c1", userMessage } },
      { event: "delta", data: { text: "Hello" } },
      { event: "delta", data: { text: " there" } },
      { event: "done", data: { message: reply } },
    ];
    const core = mockCore({
      send_message: (args) => {
        const channel = channelSender(args.onEvent);
        events.forEach((e) => channel.send(e));
        channel.end();
        return "s1";
      },
    });
    const received = vi.fn<(e: ChatEvent) => void>();

    await expect(ipc.sendMessage("c1", "hi", received)).resolves.toBe("s1");

    expect(core.calls[0]?.args).toMatchObject({ conversationId: "c1", text: "hi" });
    expect(received.mock.calls.map(([e]) => e)).toEqual(events);
  });
});
