import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { conversation, message } from "../../../test/fixtures";
import type { Message } from "../../../ipc";
import { ChatPane } from "../components/ChatPane";
import { showConversation } from "../../../test/chat";

const conv = conversation({ id: "c1" });

function open(count = 50): HTMLElement {
  const messages: Message[] = Array.from({ length: count }, (_, i) =>
    message({
      conversationId: "c1",
      seq: i + 1,
      role: i % 2 ? "assistant" : "user",
      content: `m${i}`,
    }),
  );
  showConversation(conv, messages);
  render(<ChatPane />);
  // jsdom lays nothing out: give the transcript a size and record where it is sent.
  const transcript = screen.getByTestId("transcript");
  Object.defineProperty(transcript, "clientHeight", { configurable: true, value: 500 });
  Object.defineProperty(transcript, "scrollHeight", { configurable: true, value: 20_000 });
  transcript.scrollTop = 10_000;
  transcript.scrollTo = ((options: ScrollToOptions) => {
    transcript.scrollTop = options.top ?? transcript.scrollTop;
  }) as typeof transcript.scrollTo;
  return transcript;
}

describe("the transcript from the composer's keyboard", () => {
  it("scrolls a page with PageUp and PageDown while the composer has the focus", async () => {
    const transcript = open();
    const user = userEvent.setup();
    const input = screen.getByTestId("message-input");
    await user.click(input);
    await user.type(input, "a draft");

    await user.keyboard("{PageUp}");
    expect(transcript.scrollTop).toBe(9550);
    await user.keyboard("{PageUp}");
    expect(transcript.scrollTop).toBe(9100);
    await user.keyboard("{PageDown}");
    expect(transcript.scrollTop).toBe(9550);
    expect(input).toHaveFocus();
    expect(input).toHaveValue("a draft");
  });

  it("goes to the start and the end with Ctrl+Home and Ctrl+End only when the composer is empty", async () => {
    const transcript = open();
    const user = userEvent.setup();
    const input = screen.getByTestId("message-input");
    await user.click(input);

    await user.keyboard("{Control>}{Home}{/Control}");
    expect(transcript.scrollTop).toBe(0);
    await user.keyboard("{Control>}{End}{/Control}");
    expect(transcript.scrollTop).toBe(20_000);

    // With a draft the keys move the caret in it, as in any text field.
    await user.type(input, "draft");
    transcript.scrollTop = 10_000;
    await user.keyboard("{Control>}{Home}{/Control}");
    expect(transcript.scrollTop).toBe(10_000);
  });

  it("leaves keys pressed elsewhere alone", () => {
    const transcript = open();
    const elsewhere = document.createElement("input");
    document.body.append(elsewhere);
    fireEvent.keyDown(elsewhere, { key: "PageUp" });
    expect(transcript.scrollTop).toBe(10_000);
    // Nothing focused (the composer is disabled while a reply streams): the transcript scrolls.
    fireEvent.keyDown(document.body, { key: "PageUp" });
    expect(transcript.scrollTop).toBe(9550);
    elsewhere.remove();
  });
});
