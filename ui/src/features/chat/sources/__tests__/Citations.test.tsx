import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Part } from "../../../../ipc";
import { startReply } from "../../../../test/chat";
import { appError, mockCore } from "../../../../test/core";
import { conversation, message } from "../../../../test/fixtures";
import { showConversation } from "../../../../test/chat";
import { ChatPane } from "../../components/ChatPane";
import { Markdown } from "../../components/Markdown";
import { ReplySources } from "../ReplySources";

const cite = (n: number, locator: string | null = `p. ${n}`): Part => ({
  type: "citation",
  source: `/docs/manual-${n}.pdf`,
  title: `Manual ${n}`,
  locator,
  snippet: `What manual ${n} says.`,
});
const searched = (passages: number, bases = ["Manuals"]): Part => ({
  type: "retrieval",
  bases,
  passages,
});

function reply(text: string, parts: Part[]) {
  return render(
    <ReplySources parts={parts}>
      <Markdown text={text} />
    </ReplySources>,
  );
}

describe("citations in a reply", () => {
  // jsdom lays nothing out and has no scrollIntoView: record the calls instead.
  const scrolled = vi.fn();
  beforeEach(() => {
    Element.prototype.scrollIntoView = scrolled;
  });
  afterEach(() => {
    scrolled.mockReset();
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  it("turns [n] with a source into a link, and leaves others, code and link text as written", () => {
    const { container } = reply(
      "Add it [1], then reset [2]. See [7], `grep [1]`, [the guide [1]](https://example.com).",
      [searched(2), cite(1), cite(2)],
    );
    const links = screen.getAllByTestId("cite-ref");
    expect(links.map((l) => l.textContent)).toEqual(["1", "2"]);
    expect(links[0]).toHaveAccessibleName("Source 1: Manual 1");
    const text = container.querySelector(".markdown")!.textContent;
    expect(text).toContain("See [7],");
    expect(container.querySelector("code")).toHaveTextContent("grep [1]");
    expect(screen.getByRole("link", { name: "the guide [1]" })).toBeInTheDocument();
  });

  it("lists the sources in order with title, locator and snippet; a click on [n] highlights n", async () => {
    const user = userEvent.setup();
    reply("Reset it [2].", [searched(2), cite(1), cite(2, null)]);
    const sources = screen.getAllByTestId("reply-source");
    expect(sources).toHaveLength(2);
    expect(sources[0]).toHaveTextContent("1Manual 1");
    expect(sources[0]).toHaveTextContent("p. 1");
    expect(sources[0]).toHaveTextContent("What manual 1 says.");
    expect(sources[1]).not.toHaveTextContent("p. 2");

    await user.click(screen.getByTestId("cite-ref"));
    expect(sources[1]).toHaveAttribute("data-highlighted", "true");
    expect(sources[1]).toHaveFocus();
    expect(scrolled.mock.contexts).toEqual([sources[1]]);
    expect(sources[0]).not.toHaveAttribute("data-highlighted");
  });

  it("opens a source's file through the core, and says when it cannot", async () => {
    let refuse = false;
    const core = mockCore({
      openKnowledgeFile: () => (refuse ? appError("not_found") : null),
    });
    const user = userEvent.setup();
    reply("Text [1].", [searched(1), cite(1)]);

    await user.click(screen.getByTestId("reply-source-open"));
    expect(core.calls).toEqual([
      { cmd: "open_knowledge_file", args: { path: "/docs/manual-1.pdf" } },
    ]);
    refuse = true;
    await user.click(screen.getByTestId("reply-source-open"));
    expect(await screen.findByRole("alert")).toHaveTextContent("The file could not be opened.");
  });

  it("says, not hides, that a search found nothing", () => {
    reply("I could not find that.", [searched(0, ["Manuals", "Notes"])]);
    expect(screen.getByTestId("reply-sources-nothing")).toHaveTextContent(
      "Searched Manuals and Notes: no relevant passages found",
    );
    expect(screen.queryByTestId("reply-sources")).not.toBeInTheDocument();
  });

  it("leaves [n] as text in a reply without sources", () => {
    reply("Footnote [1] of the paper.", []);
    expect(screen.queryByTestId("cite-ref")).not.toBeInTheDocument();
    expect(screen.getByText("Footnote [1] of the paper.")).toBeInTheDocument();
  });

  it("shows a stored reply's sources under it in the transcript", () => {
    const conv = conversation({ id: "c1", title: "Printer" });
    showConversation(conv, [
      message({
        conversationId: "c1",
        content: "Install the driver [1].",
        parts: [searched(1), cite(1), { type: "text", text: "Install the driver [1]." }],
      }),
    ]);
    render(<ChatPane />);
    const bubble = screen.getByTestId("message");
    expect(within(bubble).getByTestId("cite-ref")).toHaveTextContent("1");
    expect(within(bubble).getByTestId("reply-source")).toHaveTextContent("Manual 1");
  });

  it("shows the sources live when the reply's retrieved event arrives, before its text", async () => {
    const { emit } = await startReply(conversation({ id: "c1", title: "Printer" }));
    emit({ event: "retrieved", data: { parts: [searched(2), cite(1), cite(2)] } });
    const streaming = screen.getByTestId("streaming-message");
    expect(within(streaming).getAllByTestId("reply-source")).toHaveLength(2);

    emit({ event: "delta", data: { text: "Add it from Settings [2]." } });
    await waitFor(() => expect(within(streaming).getByTestId("cite-ref")).toHaveTextContent("2"));
  });
});
