import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { KeyboardEvent as ReactKeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { openUrl, toIpcError } from "../../../ipc";
import { writeClipboard } from "../clipboard";
import { elementOf, isEditable, menuTargetAt } from "../menuTarget";
import type { MenuTarget } from "../menuTarget";

/**
 * Confab's own context menu, in place of the webview's: WebKitGTK's offers Open Link, Open
 * Link in New Window and Download Linked File on a reply's links, which the window's
 * navigation rule refuses. This one offers what works: Copy, Copy link, Open in browser
 * (through the core's checked `open_url`) and Copy code. Mounted once for the whole app.
 */

interface OpenMenu {
  x: number;
  y: number;
  target: MenuTarget;
  /**
   * Where the menu is drawn: inside the dialog the click was in (a modal dialog traps focus
   * and closes on a click outside itself), else in the body.
   */
  container: HTMLElement;
  /** What had focus before: it gets it back when the menu closes. */
  returnFocus: HTMLElement | null;
}

interface Item {
  id: "copy" | "copyLink" | "openLink" | "copyCode";
  enabled: boolean;
  /** A line above the item: copying the selection, the link's two items, the code. */
  separated: boolean;
  action: () => Promise<void>;
}

interface Failure {
  title: string;
  details: string | null;
}

/** Pixels kept between the menu and the window's edge. */
const EDGE = 4;

const ITEM_SELECTOR = '[role="menuitem"]';

function itemsFor(target: MenuTarget): Item[] {
  const { selection, link, openable, code } = target;
  return [
    {
      id: "copy",
      enabled: selection !== "",
      separated: false,
      action: () => writeClipboard(selection),
    },
    {
      id: "copyLink",
      enabled: link !== null,
      separated: true,
      action: () => writeClipboard(link ?? ""),
    },
    {
      id: "openLink",
      enabled: openable,
      separated: false,
      action: () => openUrl(link ?? ""),
    },
    {
      id: "copyCode",
      enabled: code !== null,
      separated: true,
      action: () => writeClipboard(code ?? ""),
    },
  ];
}

export function ContextMenu() {
  const { t } = useTranslation();
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  // The open menu, for listeners that must not be re-added on each render.
  const openRef = useRef<OpenMenu | null>(null);

  const show = useCallback((next: OpenMenu | null) => {
    openRef.current = next;
    setMenu(next);
  }, []);

  const close = useCallback(
    (refocus: boolean) => {
      const current = openRef.current;
      if (!current) return;
      show(null);
      if (refocus && current.returnFocus?.isConnected) {
        current.returnFocus.focus({ preventScroll: true });
      }
    },
    [show],
  );

  useEffect(() => {
    const onContextMenu = (event: MouseEvent) => {
      // A part of the app with a menu of its own has handled it.
      if (event.defaultPrevented) return;
      const node = elementOf(event.target);
      if (node && menuRef.current?.contains(node)) {
        event.preventDefault();
        return;
      }
      if (isEditable(node)) {
        close(false);
        return;
      }
      event.preventDefault();
      let { clientX: x, clientY: y } = event;
      // Opened from the keyboard (the Menu key, Shift+F10): beside the focused element.
      if (x === 0 && y === 0 && node) {
        const rect = node.getBoundingClientRect();
        x = rect.left + EDGE;
        y = rect.top + Math.min(rect.height, 24);
      }
      const active = document.activeElement;
      const returnFocus =
        openRef.current && menuRef.current?.contains(active)
          ? openRef.current.returnFocus
          : active instanceof HTMLElement && active !== document.body
            ? active
            : null;
      setFailure(null);
      show({
        x,
        y,
        target: menuTargetAt(node, window.getSelection()?.toString() ?? ""),
        container:
          node?.closest<HTMLElement>('[role="dialog"], [role="alertdialog"]') ?? document.body,
        returnFocus,
      });
    };
    window.addEventListener("contextmenu", onContextMenu);
    return () => window.removeEventListener("contextmenu", onContextMenu);
  }, [close, show]);

  // While open: Escape, a click elsewhere, leaving the window, resizing or scrolling close it.
  useEffect(() => {
    if (!menu) return;
    const onPointerDown = (event: PointerEvent) => {
      const node = elementOf(event.target);
      if (!node || !menuRef.current?.contains(node)) close(false);
    };
    // On the window in the capture phase: before a dialog's own Escape handler, which
    // would otherwise close the dialog along with the menu.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      close(true);
    };
    const dismiss = () => close(false);
    document.addEventListener("pointerdown", onPointerDown, true);
    window.addEventListener("keydown", onKeyDown, true);
    window.addEventListener("blur", dismiss);
    window.addEventListener("resize", dismiss);
    document.addEventListener("scroll", dismiss, true);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      window.removeEventListener("keydown", onKeyDown, true);
      window.removeEventListener("blur", dismiss);
      window.removeEventListener("resize", dismiss);
      document.removeEventListener("scroll", dismiss, true);
    };
  }, [menu, close]);

  // Placed before it is painted: at the pointer, flipped to stay inside the window, and
  // corrected for a container that is not the viewport (a dialog is a transformed box).
  useLayoutEffect(() => {
    const element = menuRef.current;
    if (!element || !menu) return;
    element.style.left = `${menu.x}px`;
    element.style.top = `${menu.y}px`;
    const rect = element.getBoundingClientRect();
    let x = menu.x;
    let y = menu.y;
    if (x + rect.width > window.innerWidth - EDGE) x = Math.max(EDGE, x - rect.width);
    if (y + rect.height > window.innerHeight - EDGE) y = Math.max(EDGE, y - rect.height);
    element.style.left = `${menu.x + x - rect.left}px`;
    element.style.top = `${menu.y + y - rect.top}px`;
    const first =
      element.querySelector<HTMLElement>(`${ITEM_SELECTOR}:not([aria-disabled="true"])`) ??
      element.querySelector<HTMLElement>(ITEM_SELECTOR);
    first?.focus({ preventScroll: true });
  }, [menu]);

  const run = async (item: Item) => {
    if (!item.enabled) return;
    close(true);
    try {
      await item.action();
    } catch (error) {
      if (item.id === "openLink") {
        const ipcError = toIpcError(error);
        setFailure({ title: errorText(t, ipcError), details: errorDetails(ipcError) });
      } else {
        setFailure({
          title: t("contextMenu.copyFailed"),
          details: error instanceof Error ? error.message : null,
        });
      }
    }
  };

  const onMenuKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>(ITEM_SELECTOR)];
    const at = items.findIndex((item) => item === document.activeElement);
    const focusAt = (index: number) =>
      items[(index + items.length) % items.length]?.focus({ preventScroll: true });
    switch (event.key) {
      case "ArrowDown":
        focusAt(at + 1);
        break;
      case "ArrowUp":
        focusAt(at < 0 ? -1 : at - 1);
        break;
      case "Home":
        focusAt(0);
        break;
      case "End":
        focusAt(-1);
        break;
      case "Tab":
        close(true);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <>
      {menu
        ? createPortal(
            <div
              ref={menuRef}
              role="menu"
              aria-label={t("contextMenu.label")}
              className="context-menu"
              data-testid="context-menu"
              onKeyDown={onMenuKeyDown}
            >
              {itemsFor(menu.target).map((item) => (
                <Fragment key={item.id}>
                  {item.separated ? (
                    <div role="separator" className="context-menu__separator" />
                  ) : null}
                  <button
                    type="button"
                    role="menuitem"
                    tabIndex={-1}
                    className="context-menu__item"
                    data-testid={`context-${item.id}`}
                    aria-disabled={item.enabled ? undefined : true}
                    onClick={() => void run(item)}
                  >
                    {t(`contextMenu.${item.id}`)}
                  </button>
                </Fragment>
              ))}
            </div>,
            menu.container,
          )
        : null}
      {failure
        ? createPortal(
            <div className="context-menu__failure">
              <Notice
                title={failure.title}
                details={failure.details}
                dismissLabel={t("contextMenu.dismiss")}
                onDismiss={() => setFailure(null)}
              />
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
