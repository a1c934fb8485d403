import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { appError, channelSender, mockCore } from "../../../test/core";
import { conversation, message, startedEvent } from "../../../test/fixtures";
import type { ChatEvent } from "../../../ipc";
import { ChatPane } from "../components/ChatPane";
import { DEFAULT_PREFERENCES, usePreferences } from "../../settings/store/preferencesStore";
import { useConversationsStore } from "../../conversations/store/conversationsStore";
import { showConversation } from "../../../test/chat";

const conv = conversation({ id: "c1", title: "Trip planning" });

describe("ChatPane", () => {
  it("shows the designed empty state when nothing is open", () => {
    render(<ChatPane />);
    expect(screen.getByRole("heading", { name: "Start a conversation" })).toBeInTheDocument();
    expect(screen.getByTestId("message-input")).toHaveAccessibleName("Message");
  });

  it("offers a reply's raw exchange while debug capture is on, as text", async () => {
    const reply = message({ id: "r1", conversationId: "c1", content: "Hi" });
    showConversation(conv, [reply]);
    usePreferences.setState({ value: { ...DEFAULT_PREFERENCES, debugCapture: false } });
    const core = mockCore({
      getMessageDebug: (messageId) =>
        messageId === "r1" ? '{\n  "request": "<img src=x onerror=alert(1)>"\n}' : null,
    });
    const user = userEvent.setup();
    render(<ChatPane />);
    expect(screen.queryByTestId("raw-exchange")).not.toBeInTheDocument();

    act(() => usePreferences.setState({ value: { ...DEFAULT_PREFERENCES, debugCapture: true } }));
    await user.click(screen.getByRole("button", { name: "Raw request and reply" }));
    const json = await screen.findByTestId("raw-exchange-json");
    expect(json).toHaveTextContent('"request": "<img src=x onerror=alert(1)>"');
    expect(json.querySelector("img")).toBeNull();
    expect(core.calls.find((c) => c.cmd === "get_message_debug")?.args).toEqual({
      messageId: "r1",
    });
  });

  it("shows a rename made in the sidebar in its header", async () => {
    showConversation(conv, []);
    mockCore({ renameConversation: () => ({ ...conv, title: "Kyoto in spring" }) });
    useConversationsStore.setState({ items: [conv] });
    render(<ChatPane />);
    expect(screen.getByRole("heading", { name: "Trip planning" })).toBeInTheDocument();

    await act(() => useConversationsStore.getState().rename("c1", "Kyoto in spring"));
    expect(screen.getByRole("heading", { name: "Kyoto in spring" })).toBeInTheDocument();
  });

  it("renders a streamed reply as it arrives, then the final message", async () => {
    showConversation(conv, []);
    let channel: ReturnType<typeof channelSender<ChatEvent>> | null = null;
    mockCore({
      sendMessage: (_conversationId, _text, _attachments, onEvent) => {
        channel = channelSender(onEvent);
        return "s1";
      },
      listConversations: () => [conv],
    });
    const emit = (e: ChatEvent) => act(() => channel?.send(e));
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.type(screen.getByTestId("message-input"), "Where to go?{Enter}");
    const userMessage = message({ conversationId: "c1", role: "user", content: "Where to go?" });
    emit(startedEvent(userMessage));
    emit({ event: "delta", data: { text: "Try **Kyoto**" } });

    const streaming = screen.getByTestId("streaming-message");
    expect(streaming).toHaveTextContent("Try Kyoto");
    expect(within(streaming).getByText("Kyoto").tagName).toBe("STRONG");
    expect(screen.getByTestId("message-input")).toBeDisabled();
    expect(screen.queryByTestId("send-button")).not.toBeInTheDocument();
    expect(screen.getByTestId("stop-button")).toBeEnabled();

    emit({ event: "delta", data: { text: " in spring." } });
    expect(screen.getByTestId("streaming-message")).toHaveTextContent("Try Kyoto in spring.");

    const reply = message({ conversationId: "c1", content: "Try **Kyoto** in spring." });
    emit({ event: "done", data: { message: reply } });

    expect(screen.queryByTestId("streaming-message")).not.toBeInTheDocument();
    const bubbles = screen.getAllByTestId("message");
    expect(bubbles.map((b) => [b.dataset.role, b.dataset.state])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(bubbles[1]).toHaveTextContent("Try Kyoto in spring.");
    expect(screen.getByTestId("message-input")).toBeEnabled();
    expect(screen.queryByTestId("stop-button")).not.toBeInTheDocument();
  });

  it("renders hostile markdown inert: no script, no image, no javascript: link", () => {
    const hostile = [
      "<script>window.__pwned = true</script>",
      '<img src=x onerror="window.__pwned = true">',
      "[x](javascript:alert(1))",
      "[y](JAVASCRIPT:alert(1)) [z](data:text/html,<script>alert(1)</script>)",
      "![pic](https://tracker.example/p.png)",
      '<a href="javascript:alert(1)">raw</a>',
      "[fine](https://example.com)",
    ].join("\n\n");
    showConversation(conv, [message({ conversationId: "c1", content: hostile })]);

    const { container } = render(<ChatPane />);

    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img:not(.empty-state__mark)")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    for (const a of container.querySelectorAll("a")) {
      expect(a.getAttribute("href") ?? "").not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
    // Raw HTML shows as text rather than disappearing silently.
    expect(screen.getByTestId("message")).toHaveTextContent(
      "<script>window.__pwned = true</script>",
    );

    const safe = screen.getByRole("link", { name: "fine" });
    expect(safe).toHaveAttribute("href", "https://example.com");
    expect(safe).toHaveAttribute("target", "_blank");
    expect(safe).toHaveAttribute("rel", "noreferrer");
    expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it("keeps a link click from navigating the app window", async () => {
    showConversation(conv, [
      message({ conversationId: "c1", content: "[docs](https://example.com/docs)" }),
    ]);
    render(<ChatPane />);
    const link = screen.getByRole("link", { name: "docs" });

    const notPrevented = link.dispatchEvent(
      new MouseEvent("click", { bubbles: true, cancelable: true }),
    );

    expect(notPrevented).toBe(false);
    await Promise.resolve();
    expect(window.location.href).not.toContain("example.com");
  });

  it("sends on Enter and inserts a newline on Shift+Enter", async () => {
    showConversation(conv, []);
    const core = mockCore({ sendMessage: () => "s1" });
    const user = userEvent.setup();
    render(<ChatPane />);
    const input = screen.getByTestId("message-input");

    await user.type(input, "line one{Shift>}{Enter}{/Shift}line two");
    expect(core.calls).toHaveLength(0);
    expect(input).toHaveValue("line one\nline two");

    await user.keyboard("{Enter}");
    expect(core.calls).toEqual([
      {
        cmd: "send_message",
        args: expect.objectContaining({
          conversationId: "c1",
          text: "line one\nline two",
        }) as unknown,
      },
    ]);
  });

  it("does not send an empty message", async () => {
    showConversation(conv, []);
    const core = mockCore({ sendMessage: () => "s1" });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.type(screen.getByTestId("message-input"), "   {Enter}");

    expect(core.calls).toHaveLength(0);
    expect(screen.getByTestId("send-button")).toBeDisabled();
  });

  it("explains a refused send with a translated banner and keeps the draft", async () => {
    showConversation(conv, []);
    mockCore({
      sendMessage: () => appError("no_api_key", "no key in keychain"),
    });
    const user = userEvent.setup();
    render(<ChatPane />);

    await user.type(screen.getByTestId("message-input"), "Hello{Enter}");

    const banner = await screen.findByTestId("error-banner");
    expect(banner).toHaveTextContent(
      "No API key is set for this provider. Paste your key, then try again.",
    );
    expect(within(banner).getByRole("button", { name: "Open Settings" })).toBeInTheDocument();
    expect(screen.getByTestId("message-input")).toHaveValue("Hello");
  });

  it("marks partial and failed replies visibly", () => {
    showConversation(conv, [
      message({ conversationId: "c1", content: "Half", state: "partial" }),
      message({
        conversationId: "c1",
        content: "",
        state: "error",
        meta: { errorCode: "provider", errorMessage: "model overloaded" },
      }),
    ]);
    render(<ChatPane />);

    const [partial, failed] = screen.getAllByTestId("message");
    expect(partial).toHaveAttribute("data-state", "partial");
    expect(partial).toHaveTextContent("Incomplete");
    expect(failed).toHaveAttribute("data-state", "error");
    expect(failed).toHaveTextContent("Failed");
    expect(failed).toHaveTextContent("model overloaded");
  });
});
