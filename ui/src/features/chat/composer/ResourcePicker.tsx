/**
 * "Resources" beside the attach button: the resources of the conversation's MCP servers,
 * one of which, picked, is attached to the message like a file. Shown only when there are
 * some (or when asking for them failed, to say so).
 */
import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../../components/ui/IconButton";
import { DatabaseIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import type { McpResource } from "../../../ipc";
import type { Loaded } from "./useMcpCatalog";

export function ResourcePicker({
  resources,
  onPick,
  disabled = false,
}: {
  resources: Loaded<McpResource>;
  onPick: (resource: McpResource) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  const items = () =>
    Array.from(root.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? []);

  // Open: the first resource has the focus; a click elsewhere closes the list.
  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const hasSome = resources.status === "ready" && resources.items.length > 0;
  if (!hasSome && resources.status !== "failed") return null;

  const close = () => {
    setOpen(false);
    root.current?.querySelector<HTMLElement>("[aria-haspopup]")?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step !== 0 && list.length > 0) {
      list[(at + step + list.length) % list.length]?.focus();
    } else if (event.key === "Home" || event.key === "End") {
      list[event.key === "Home" ? 0 : list.length - 1]?.focus();
    } else if (event.key === "Escape") {
      close();
    } else if (event.key === "Tab") {
      setOpen(false);
      return;
    } else {
      return;
    }
    event.preventDefault();
  };

  return (
    <div className="resource-picker" ref={root} onKeyDown={open ? onKeyDown : undefined}>
      <IconButton
        className="composer__attach"
        label={t("attachments.resources.open")}
        icon={<DatabaseIcon />}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
        data-testid="resources-button"
      />
      {open ? (
        <div className="composer-popup composer-popup--resources" data-testid="resource-list">
          <div className="composer-popup__head">
            <span>{t("attachments.resources.title")}</span>
          </div>
          {resources.status === "failed" ? (
            <p className="composer-popup__state composer-popup__state--error" role="alert">
              {t("attachments.resources.failed", { reason: errorText(t, resources.error) })}
            </p>
          ) : (
            <ul
              className="composer-popup__list"
              role="menu"
              aria-label={t("attachments.resources.title")}
            >
              {resources.status === "ready"
                ? resources.items.map((resource) => (
                    <li key={`${resource.serverId} ${resource.uri}`} role="none">
                      <button
                        type="button"
                        role="menuitem"
                        className="composer-popup__item"
                        onClick={() => {
                          onPick(resource);
                          setOpen(false);
                        }}
                        title={resource.uri}
                        data-testid="resource-option"
                      >
                        <span className="composer-popup__line">
                          <span className="composer-popup__name">{resource.name}</span>
                          <span className="composer-popup__server">{resource.serverName}</span>
                          {resource.mime ? (
                            <span className="composer-popup__mime">{resource.mime}</span>
                          ) : null}
                        </span>
                        {resource.description ? (
                          <span className="composer-popup__desc">{resource.description}</span>
                        ) : null}
                      </button>
                    </li>
                  ))
                : null}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
