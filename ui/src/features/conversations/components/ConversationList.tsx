import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import type { Conversation } from "../../../ipc";
import { useChatStore } from "../../chat/store/chatStore";
import { displayTitle, useConversationsStore } from "../store/conversationsStore";
import { RowBoundary } from "../../crash/components/CrashFallbacks";
import { ConversationRow } from "./ConversationRow";
import { DeleteConversationDialog } from "./DeleteConversationDialog";

/** A row's height before it is measured: the 34px button and a 1px gap. */
const ROW_HEIGHT = 35;
/** Within this many rows of the end, the next page is fetched. */
const LOAD_MORE_ROWS = 20;

export function ConversationList() {
  const { t } = useTranslation();
  const { items, status, error, load, hasMore, loadMore, archived } = useConversationsStore();
  const currentId = useChatStore((s) => s.currentId);
  // Which conversations stream, as one string: the stream objects change with every delta,
  // and the list has nothing to redraw for that.
  const streamingIds = useChatStore((s) => Object.keys(s.streams).join("\n"));
  const streaming = useMemo(() => new Set(streamingIds.split("\n")), [streamingIds]);
  const open = useChatStore((s) => s.open);
  const [toDelete, setToDelete] = useState<Conversation | null>(null);
  const untitled = t("conversations.untitled");
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer is read afresh on every render and never passed to memoized children.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const lastShown = rows.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastShown >= items.length - LOAD_MORE_ROWS) void loadMore();
  }, [hasMore, lastShown, items.length, loadMore]);

  if (status === "idle" || (status === "loading" && items.length === 0)) {
    return (
      <div className="conv-list__skeleton" role="status" aria-label={t("conversations.loading")}>
        {[72, 54, 80, 62, 48].map((width) => (
          <span key={width} className="skeleton-line" style={{ width: `${width}%` }} />
        ))}
      </div>
    );
  }

  if (status === "error" && error) {
    return (
      <div className="conv-list__state">
        <Notice
          title={t("conversations.loadFailed")}
          details={errorText(t, error)}
          actions={
            <Button size="sm" onClick={() => void load()}>
              {t("conversations.retry")}
            </Button>
          }
        />
      </div>
    );
  }

  if (items.length === 0) {
    return (
      <div className="conv-list__state conv-list__empty">
        <p className="conv-list__empty-title">
          {archived ? t("manage.archiveEmpty") : t("conversations.emptyTitle")}
        </p>
        {archived ? null : <p className="conv-list__empty-hint">{t("conversations.emptyHint")}</p>}
      </div>
    );
  }

  return (
    <>
      <div className="conv-list__scroller" ref={scroller} data-scroller="">
        <ul
          className="conv-list"
          aria-label={t("conversations.listLabel")}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {rows.map((row) => {
            const conversation = items[row.index];
            if (!conversation) return null;
            const title = displayTitle(conversation, untitled);
            const active = conversation.id === currentId;

            return (
              <li
                key={conversation.id}
                className={`conv-item${active ? " conv-item--active" : ""}`}
                data-testid="conversation-item"
                data-id={conversation.id}
                data-index={row.index}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${row.start}px)` }}
                aria-setsize={items.length}
                aria-posinset={row.index + 1}
              >
                <RowBoundary resetKey={conversation}>
                  <ConversationRow
                    conversation={conversation}
                    title={title}
                    active={active}
                    streaming={streaming.has(conversation.id)}
                    onOpen={() => void open(conversation.id)}
                    onDelete={() => setToDelete(conversation)}
                  />
                </RowBoundary>
              </li>
            );
          })}
        </ul>
      </div>
      {toDelete ? (
        <DeleteConversationDialog
          conversation={toDelete}
          title={displayTitle(toDelete, untitled)}
          onClose={() => setToDelete(null)}
        />
      ) : null}
    </>
  );
}
