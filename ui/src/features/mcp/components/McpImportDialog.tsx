import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { TextArea } from "../../../components/ui/TextArea";
import { errorText } from "../../../i18n/errorText";
import { problemLine } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { IpcError, McpServer } from "../../../ipc";
import type { Problem } from "../../../ipc/problems";

type Result =
  | { kind: "added"; servers: McpServer[] }
  | { kind: "problems"; problems: Problem[] }
  | { kind: "error"; error: IpcError };

const EXAMPLE = `{
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "~/Documents"] }
  }
}`;

/**
 * Pastes the `mcpServers` JSON of Claude Desktop, Cursor or VS Code and adds every server in
 * it, or none: each problem is listed, translated, with where it is.
 */
export function McpImportDialog({
  open,
  onOpenChange,
  onImported,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onImported: (servers: McpServer[]) => void;
}) {
  const { t } = useTranslation();
  const [json, setJson] = useState("");
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const close = (next: boolean) => {
    if (!next) {
      setJson("");
      setResult(null);
    }
    onOpenChange(next);
  };
  const run = async () => {
    setPending(true);
    setResult(null);
    try {
      const servers = await ipc.importMcpServers(json);
      setResult({ kind: "added", servers });
      setJson("");
      onImported(servers);
    } catch (e) {
      const error = ipc.toIpcError(e);
      setResult(
        error.code === "invalid_input" && error.problems.length > 0
          ? { kind: "problems", problems: [...error.problems] }
          : { kind: "error", error },
      );
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={t("mcp.importTitle")}
      description={t("mcp.importDescription")}
      closeLabel={t("mcp.importClose")}
      size="md"
      footer={
        <>
          <Button onClick={() => close(false)}>{t("mcp.importDone")}</Button>
          <Button
            variant="primary"
            onClick={() => void run()}
            disabled={pending || json.trim() === ""}
            data-testid="mcp-import-run"
          >
            {pending ? t("mcp.importing") : t("mcp.importRun")}
          </Button>
        </>
      }
    >
      <TextArea
        className="mono mcp-import__text"
        aria-label={t("mcp.importLabel")}
        placeholder={EXAMPLE}
        rows={8}
        maxHeight={320}
        spellCheck={false}
        value={json}
        onChange={(e) => setJson(e.target.value)}
        data-autofocus=""
        data-testid="mcp-import-text"
      />
      <div aria-live="polite" className="mcp-import__result">
        {result?.kind === "added" ? (
          <div className="field-success" data-testid="mcp-import-added">
            {result.servers.length === 0
              ? t("mcp.importedNone")
              : t("mcp.imported", {
                  count: result.servers.length,
                  names: result.servers.map((s) => s.name).join(", "),
                })}
          </div>
        ) : null}
        {result?.kind === "problems" ? (
          <Notice
            title={t("mcp.importFailed")}
            details={
              <span className="problem-lines">
                {result.problems.map((problem, i) => (
                  <span key={i} data-testid="mcp-import-problem">
                    {problemLine(t, problem)}
                  </span>
                ))}
              </span>
            }
          />
        ) : null}
        {result?.kind === "error" ? (
          <Notice title={errorText(t, result.error)} details={result.error.message || undefined} />
        ) : null}
      </div>
    </Dialog>
  );
}
