import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Dialog } from "../../../components/ui/Dialog";
import { invalidInput, mockCore, problem } from "../../../test/core";
import { ContextMenu } from "../components/ContextMenu";

const REPLY = (
  <div data-testid="reply">
    <p>
      Read <a href="https://example.com/docs?a=1">the docs</a> first.
    </p>
    <div className="md-code">
      <pre>
        <code>{"let answer = 42;\n"}</code>
      </pre>
    </div>
    <textarea aria-label="composer" defaultValue="draft" />
  </div>
);

/** Right-clicks `node`; returns whether the webview's own menu was let through. */
function rightClick(node: Element): boolean {
  return fireEvent.contextMenu(node, { clientX: 40, clientY: 60, button: 2 });
}

function item(name: string): HTMLElement {
  return screen.getByRole("menuitem", { name });
}

describe("the context menu", () => {
  it("replaces the webview's menu on a link with Copy link and Open in browser", async () => {
    const core = mockCore({ openUrl: () => null });
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    expect(rightClick(screen.getByText("the docs"))).toBe(false);

    expect(screen.getByRole("menu", { name: "Actions" })).toBeInTheDocument();
    expect(item("Copy")).toHaveAttribute("aria-disabled", "true");
    expect(item("Copy code")).toHaveAttribute("aria-disabled", "true");
    expect(item("Copy link")).not.toHaveAttribute("aria-disabled");
    // The first item that does something has the focus.
    expect(item("Copy link")).toHaveFocus();

    fireEvent.click(item("Open in browser"));
    await waitFor(() =>
      expect(core.calls).toContainEqual({
        cmd: "open_url",
        args: { url: "https://example.com/docs?a=1" },
      }),
    );
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("copies the link, the code block and the selection", async () => {
    const user = userEvent.setup();
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    rightClick(screen.getByText("the docs"));
    await user.click(item("Copy link"));
    await expect(navigator.clipboard.readText()).resolves.toBe("https://example.com/docs?a=1");

    rightClick(screen.getByText(/let answer/));
    expect(item("Copy link")).toHaveAttribute("aria-disabled", "true");
    await user.click(item("Copy code"));
    await expect(navigator.clipboard.readText()).resolves.toBe("let answer = 42;");

    const words = screen.getByText(/first\./);
    const range = document.createRange();
    // The text after the link: " first."
    range.selectNodeContents(words.lastChild ?? words);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
    rightClick(words);
    expect(item("Copy")).toHaveFocus();
    await user.click(item("Copy"));
    await expect(navigator.clipboard.readText()).resolves.toBe(" first.");
  });

  it("disabled items do nothing", async () => {
    const user = userEvent.setup();
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    await navigator.clipboard.writeText("before");
    rightClick(screen.getByText(/first\./));
    await user.click(item("Copy code"));
    expect(screen.getByRole("menu")).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe("before");
  });

  it("leaves text fields their own menu (Paste, spelling)", () => {
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    expect(rightClick(screen.getByLabelText("composer"))).toBe(true);
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("moves with the arrow keys and gives the focus back on Escape", async () => {
    const user = userEvent.setup();
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    const composer = screen.getByLabelText("composer");
    composer.focus();
    rightClick(screen.getByText("the docs"));
    expect(item("Copy link")).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(item("Open in browser")).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(item("Copy")).toHaveFocus();
    await user.keyboard("{End}");
    expect(item("Copy code")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(composer).toHaveFocus();
  });

  it("closes on a click elsewhere", () => {
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    rightClick(screen.getByText("the docs"));
    fireEvent.pointerDown(screen.getByText(/first\./));
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("says so when the link cannot be opened", async () => {
    mockCore({ openUrl: () => invalidInput(problem("url", "link_not_opened")) });
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    rightClick(screen.getByText("the docs"));
    fireEvent.click(item("Open in browser"));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("url: The link could not be opened.");
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says so when the clipboard refuses", async () => {
    const writeText = vi.fn(() => Promise.reject(new Error("not allowed")));
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    try {
      render(
        <>
          {REPLY}
          <ContextMenu />
        </>,
      );
      rightClick(screen.getByText("the docs"));
      fireEvent.click(item("Copy link"));
      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("Could not copy to the clipboard.");
      expect(alert).toHaveTextContent("not allowed");
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("opens inside a dialog, where Escape closes the menu and not the dialog", async () => {
    const user = userEvent.setup();
    function WithDialog() {
      const [open, setOpen] = useState(true);
      return (
        <Dialog open={open} onOpenChange={setOpen} title="Details" closeLabel="Close">
          <a href="https://example.com/in-dialog">in a dialog</a>
        </Dialog>
      );
    }
    render(
      <>
        <WithDialog />
        <ContextMenu />
      </>,
    );
    const link = await screen.findByText("in a dialog");
    act(() => {
      rightClick(link);
    });
    const menu = screen.getByRole("menu");
    expect(screen.getByRole("dialog")).toContainElement(menu);
    expect(item("Copy link")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("is translated", async () => {
    const { i18n } = await import("../../../i18n");
    await i18n.changeLanguage("zh-CN");
    render(
      <>
        {REPLY}
        <ContextMenu />
      </>,
    );
    rightClick(screen.getByText("the docs"));
    expect(screen.getByRole("menu", { name: "操作" })).toBeInTheDocument();
    expect(item("在浏览器中打开")).toBeInTheDocument();
    expect(item("复制代码")).toHaveAttribute("aria-disabled", "true");
  });
});
