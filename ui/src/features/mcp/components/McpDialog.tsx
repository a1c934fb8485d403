import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ConfirmDelete } from "../../../components/ui/ConfirmDelete";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { Switch } from "../../../components/ui/Switch";
import { PlusIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, McpServer } from "../../../ipc";
import { isSettling, useMcp } from "../store/mcpStore";
import { McpImportDialog } from "./McpImportDialog";
import { McpInspect } from "./McpInspect";
import { McpServerForm } from "./McpServerForm";
import { McpStatusBadge } from "./McpStatusBadge";
import { draftFrom } from "./mcpDraft";

/** How often the page reads the servers again while one is starting or waiting to restart. */
const SETTLE_POLL_MS = 2000;

/** The command line or the URL, for the list. */
export function transportText(server: McpServer): string {
  const { transport } = server;
  return transport.type === "stdio"
    ? [transport.command, ...transport.args].join(" ")
    : transport.url;
}

function DeleteServer({ server, onDeleted }: { server: McpServer; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await ipc.deleteMcpServer(server.id);
      onDeleted();
    } catch (e) {
      setError(ipc.toIpcError(e));
      setPending(false);
    }
  };
  return (
    <section className="settings-section providers__danger mcp-danger">
      {error ? <Notice title={errorText(t, error)} details={error.message || undefined} /> : null}
      <ConfirmDelete
        confirming={confirming}
        onConfirmingChange={setConfirming}
        labels={{
          question: t("mcp.deleteQuestion", { name: server.name }),
          delete: t("mcp.delete"),
          cancel: t("conversations.cancel"),
        }}
        disabled={pending}
        onConfirm={() => void remove()}
        testId="mcp-delete"
      />
    </section>
  );
}

function McpContent() {
  const { t } = useTranslation();
  const { servers, status, error, load, put, drop } = useMcp();
  // A server id, "new" for the form of a new one, or null for the first server.
  const [selected, setSelected] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [switchError, setSwitchError] = useState<IpcError | null>(null);

  useEffect(() => {
    void useMcp.getState().load();
  }, []);
  const settling = servers.some(isSettling);
  useEffect(() => {
    if (!settling) return;
    const timer = window.setInterval(() => void useMcp.getState().load(), SETTLE_POLL_MS);
    return () => window.clearInterval(timer);
  }, [settling]);

  if (status === "error" && error) {
    return (
      <Notice
        title={t("mcp.loadFailed")}
        details={errorText(t, error)}
        actions={
          <Button size="sm" onClick={() => void load()}>
            {t("settings.retry")}
          </Button>
        }
      />
    );
  }
  if (status !== "ready") return <Spinner label={t("settings.loading")} />;

  const current =
    selected === "new" ? null : (servers.find((s) => s.id === selected) ?? servers[0] ?? null);
  const setEnabled = async (server: McpServer, enabled: boolean) => {
    setSwitchError(null);
    try {
      put(await ipc.setMcpServerEnabled(server.id, enabled));
    } catch (e) {
      setSwitchError(ipc.toIpcError(e));
    }
  };

  return (
    <div className="providers mcp-page">
      <div className="providers__list">
        {servers.length === 0 ? (
          <p className="providers__none" data-testid="mcp-none">
            {t("mcp.none")}
          </p>
        ) : null}
        <ul aria-label={t("mcp.listLabel")}>
          {servers.map((s) => (
            <li key={s.id} className="mcp-item" data-testid="mcp-item">
              <button
                type="button"
                className="providers__item mcp-item__select"
                aria-current={current?.id === s.id ? "true" : undefined}
                onClick={() => setSelected(s.id)}
                data-testid="mcp-item-select"
              >
                <span className="providers__item-name">{s.name}</span>
                <span className="providers__item-meta mono">
                  {s.transport.type === "stdio" ? t("mcp.stdioShort") : t("mcp.httpShort")} ·{" "}
                  {transportText(s)}
                </span>
                <span className="mcp-item__status">
                  <McpStatusBadge server={s} />
                </span>
              </button>
              <Switch
                checked={s.enabled}
                label={t("mcp.enable", { name: s.name })}
                onCheckedChange={(on) => void setEnabled(s, on)}
                data-testid="mcp-enabled"
              />
            </li>
          ))}
        </ul>
        {switchError ? (
          <Notice title={errorText(t, switchError)} details={switchError.message || undefined} />
        ) : null}
        <div className="providers__add">
          <Button
            size="sm"
            icon={<PlusIcon />}
            onClick={() => setSelected("new")}
            data-testid="mcp-add"
          >
            {t("mcp.add")}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setImporting(true)}
            data-testid="mcp-import"
          >
            {t("mcp.import")}
          </Button>
        </div>
      </div>
      <div className="providers__detail">
        <h3 className="providers__detail-title mcp-detail__title">
          {current ? current.name : t("mcp.new")}
          {current ? <McpStatusBadge server={current} /> : null}
        </h3>
        {current?.status.state === "failed" ? (
          <Notice
            title={t("mcp.failedTitle")}
            details={current.status.message}
            data-testid="mcp-failed"
          />
        ) : null}
        <McpServerForm
          key={current?.id ?? "new"}
          server={current}
          initial={draftFrom(current)}
          onSaved={(server) => {
            put(server);
            setSelected(server.id);
          }}
        />
        {current ? (
          <>
            <McpInspect
              key={`inspect-${current.id}`}
              server={current}
              onChanged={(server) => (server ? put(server) : void load())}
            />
            <DeleteServer
              key={`delete-${current.id}`}
              server={current}
              onDeleted={() => {
                drop(current.id);
                setSelected(null);
              }}
            />
          </>
        ) : null}
      </div>
      <McpImportDialog
        open={importing}
        onOpenChange={setImporting}
        onImported={(added) => {
          added.forEach(put);
          if (added[0]) setSelected(added[0].id);
        }}
      />
    </div>
  );
}

export function McpDialog() {
  const { t } = useTranslation();
  const open = useMcp((s) => s.open);
  const setOpen = useMcp((s) => s.setOpen);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("mcp.title")}
      description={t("mcp.description")}
      closeLabel={t("mcp.close")}
      size="lg"
    >
      {open ? <McpContent /> : null}
    </Dialog>
  );
}
