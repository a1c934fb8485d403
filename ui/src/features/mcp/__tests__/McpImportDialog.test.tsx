import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { McpServer } from "../../../ipc";
import { appError, invalidInput, mockCore, problem } from "../../../test/core";
import { McpImportDialog } from "../components/McpImportDialog";
import { mcpServer } from "./fixtures";

function Harness({ onImported }: { onImported: (servers: McpServer[]) => void }) {
  const [open, setOpen] = useState(true);
  return <McpImportDialog open={open} onOpenChange={setOpen} onImported={onImported} />;
}

const JSON_TEXT = '{"mcpServers":{"files":{"command":"npx"},"remote":{"url":"https://h/mcp"}}}';

describe("MCP import dialog", () => {
  it("sends the pasted JSON and says which servers were added", async () => {
    const added = [mcpServer({ id: "a", name: "files" }), mcpServer({ id: "b", name: "remote" })];
    const core = mockCore({ importMcpServers: () => added });
    const onImported = vi.fn();
    const user = userEvent.setup();
    render(<Harness onImported={onImported} />);

    expect(screen.getByTestId("mcp-import-run")).toBeDisabled();
    await user.click(screen.getByTestId("mcp-import-text"));
    await user.paste(JSON_TEXT);
    await user.click(screen.getByTestId("mcp-import-run"));

    expect(await screen.findByTestId("mcp-import-added")).toHaveTextContent(
      "Added 2 servers: files, remote.",
    );
    expect(core.calls.find((c) => c.cmd === "import_mcp_servers")?.args).toEqual({
      json: JSON_TEXT,
    });
    expect(onImported).toHaveBeenCalledWith(added);
    expect(screen.getByTestId("mcp-import-text")).toHaveValue("");
  });

  it("lists each problem translated, with where it is, and keeps the text to fix", async () => {
    mockCore({
      importMcpServers: () =>
        invalidInput(
          problem("json", "invalid_json", { line: 3, column: 7 }),
          problem("mcpServers.remote.url", "plain_http", { value: "example.com" }),
        ),
    });
    const onImported = vi.fn();
    const user = userEvent.setup();
    render(<Harness onImported={onImported} />);

    await user.click(screen.getByTestId("mcp-import-text"));
    await user.paste("{not json");
    await user.click(screen.getByTestId("mcp-import-run"));

    const problems = await screen.findAllByTestId("mcp-import-problem");
    expect(problems.map((p) => p.textContent)).toEqual([
      "json: Not valid JSON (line 3, column 7).",
      expect.stringMatching(/^mcpServers\.remote\.url: Plain http:\/\/ to example\.com/),
    ]);
    expect(screen.getByRole("alert")).toHaveTextContent("Nothing was imported.");
    expect(screen.getByTestId("mcp-import-text")).toHaveValue("{not json");
    expect(onImported).not.toHaveBeenCalled();
  });

  it("tells another failure by its code", async () => {
    mockCore({ importMcpServers: () => appError("keychain", "no keychain") });
    const user = userEvent.setup();
    render(<Harness onImported={() => {}} />);
    await user.click(screen.getByTestId("mcp-import-text"));
    await user.paste(JSON_TEXT);
    await user.click(screen.getByTestId("mcp-import-run"));
    expect(await screen.findByRole("alert")).toHaveTextContent("no keychain");
    expect(screen.queryByTestId("mcp-import-problem")).not.toBeInTheDocument();
  });
});
