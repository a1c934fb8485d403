import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorShortText, errorText } from "../../../i18n/errorText";
import { formatBytes, formatMessageTime } from "../../../i18n/format";
import { openAt } from "../../chat/store/jumpStore";
import { displayTitle, useConversationsStore } from "../../conversations/store/conversationsStore";
import { useAdmin } from "../store/adminStore";

/** How often the running replies are listed again while the tab is open. */
const POLL_MS = 1000;

function ActiveStreams() {
  const { t, i18n } = useTranslation();
  const { streams, cancelling, cancelError, cancel } = useAdmin();
  const conversations = useConversationsStore((s) => s.items);

  useEffect(() => {
    void useAdmin.getState().loadStreams();
    const timer = setInterval(() => void useAdmin.getState().loadStreams(), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const titleOf = (id: string) => {
    const found = conversations.find((c) => c.id === id);
    return found ? displayTitle(found, t("conversations.untitled")) : t("conversations.untitled");
  };

  return (
    <section className="admin-section" data-testid="admin-streams">
      <h3 className="admin-section__title">{t("admin.activeStreams")}</h3>
      {streams.length === 0 ? (
        <p className="admin-empty">{t("admin.noStreams")}</p>
      ) : (
        <ul className="admin-list">
          {streams.map((stream) => {
            const stopping = cancelling.includes(stream.streamId);
            return (
              <li key={stream.streamId} className="admin-list__item" data-testid="admin-stream">
                <div className="admin-list__text">
                  <span className="admin-list__title">{titleOf(stream.conversationId)}</span>
                  <span className="admin-list__meta">
                    {t("admin.streamMeta", {
                      time: formatMessageTime(stream.startedAt, i18n.language),
                      size: formatBytes(stream.receivedBytes, i18n.language),
                    })}
                  </span>
                </div>
                <Button
                  size="sm"
                  variant="danger"
                  disabled={stopping}
                  onClick={() => void cancel(stream.streamId)}
                >
                  {stopping ? t("chat.stopping") : t("admin.cancel")}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {cancelError ? (
        <Notice title={errorText(t, cancelError)} details={errorDetails(cancelError)} />
      ) : null}
    </section>
  );
}

function RecentErrors() {
  const { t, i18n } = useTranslation();
  const { stats, setOpen } = useAdmin();
  if (stats.status !== "ready") return null;
  const errors = stats.value.recentErrors;
  return (
    <section className="admin-section" data-testid="admin-errors">
      <h3 className="admin-section__title">{t("admin.recentErrors")}</h3>
      {errors.length === 0 ? (
        <p className="admin-empty">{t("admin.noErrors")}</p>
      ) : (
        <ul className="admin-list">
          {errors.map((error) => (
            <li key={error.messageId} className="admin-list__item" data-testid="admin-error">
              <div className="admin-list__text">
                <span className="admin-list__title">
                  <span className="pill pill--bad">
                    {error.errorCode ? errorShortText(t, error.errorCode) : t("admin.unknownError")}
                  </span>{" "}
                  <button
                    type="button"
                    className="link-btn"
                    onClick={() => {
                      setOpen(false);
                      void openAt(error.conversationId, {
                        messageId: error.messageId,
                        seq: error.seq,
                      });
                    }}
                  >
                    {displayTitle({ title: error.conversationTitle }, t("conversations.untitled"))}
                  </button>
                </span>
                <span className="admin-list__meta">
                  {formatMessageTime(error.createdAt, i18n.language)} · {error.message}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What is running now (with a way to stop it) and what failed lately. */
export function ActivityTab() {
  useEffect(() => {
    if (useAdmin.getState().stats.status !== "ready") void useAdmin.getState().loadStats();
  }, []);
  return (
    <div className="admin-activity">
      <ActiveStreams />
      <RecentErrors />
    </div>
  );
}
