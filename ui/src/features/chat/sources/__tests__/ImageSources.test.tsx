import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Part } from "../../../../ipc";
import { mockCore } from "../../../../test/core";
import { Markdown } from "../../components/Markdown";
import { ReplySources } from "../ReplySources";

const parts: Part[] = [
  { type: "retrieval", bases: ["Photos"], passages: 2 },
  { type: "citation", source: "/pics/red.png", title: "red.png", snippet: "", image: true },
  {
    type: "citation",
    source: "/docs/guide.md",
    title: "Guide",
    locator: null,
    snippet: "What the guide says.",
  },
];

describe("an image among a reply's sources", () => {
  it("is marked as an image, has no snippet, and opens its file through the core", async () => {
    const core = mockCore({ openKnowledgeFile: () => null });
    const user = userEvent.setup();
    render(
      <ReplySources parts={parts}>
        <Markdown text="The red one [1], as the guide says [2]." />
      </ReplySources>,
    );

    const [image, text] = screen.getAllByTestId("reply-source");
    expect(within(image!).getByRole("img", { name: "Image found by what it shows" })).toBe(
      within(image!).getByTestId("reply-source-image"),
    );
    expect(within(image!).queryByTestId("reply-source-snippet")).not.toBeInTheDocument();
    expect(within(text!).queryByTestId("reply-source-image")).not.toBeInTheDocument();
    expect(within(text!).getByTestId("reply-source-snippet")).toHaveTextContent("the guide says");

    await user.click(within(image!).getByTestId("reply-source-open"));
    expect(core.calls).toEqual([{ cmd: "open_knowledge_file", args: { path: "/pics/red.png" } }]);
  });
});
