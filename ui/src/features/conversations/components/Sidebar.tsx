import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import {
  ArchiveIcon,
  ChartIcon,
  DatabaseIcon,
  KeyIcon,
  PlusIcon,
  SettingsIcon,
  ToolIcon,
  BookIcon,
} from "../../../components/ui/icons";
import { useAdmin } from "../../admin/store/adminStore";
import { AgentList } from "../../agents/components/AgentList";
import { useAgentEditor } from "../../agents/store/agentEditorStore";
import { useChatStore } from "../../chat/store/chatStore";
import { useDataDialog } from "../../data/store/dataDialogStore";
import { useKnowledge } from "../../knowledge/store/knowledgeStore";
import { useMcp } from "../../mcp/store/mcpStore";
import { useProvidersPage } from "../../providers/store/providersPageStore";
import { useSettingsDialog } from "../../settings/store/settingsDialogStore";
import { openAt } from "../../chat/store/jumpStore";
import type { SearchHit } from "../../../ipc";
import { useConversationsStore } from "../store/conversationsStore";
import { useSearchStore } from "../store/searchStore";
import { ConversationList } from "./ConversationList";
import { SearchBox } from "./SearchBox";
import { SearchResults } from "./SearchResults";

export function Sidebar() {
  const { t } = useTranslation();
  const newConversation = useChatStore((s) => s.newConversation);
  const openSettings = useSettingsDialog((s) => s.setOpen);
  const openAdmin = useAdmin((s) => s.setOpen);
  const openProviders = useProvidersPage((s) => s.setOpen);
  const openData = useDataDialog((s) => s.setOpen);
  const openMcp = useMcp((s) => s.setOpen);
  const openKnowledge = useKnowledge((s) => s.setOpen);
  const editAgent = useAgentEditor((s) => s.edit);
  const searching = useSearchStore((s) => s.query.trim() !== "");
  const archived = useConversationsStore((s) => s.archived);
  const showArchived = useConversationsStore((s) => s.showArchived);

  const openHit = (hit: SearchHit) =>
    void openAt(
      hit.conversationId,
      hit.messageId !== null && hit.seq !== null
        ? { messageId: hit.messageId, seq: hit.seq }
        : null,
    );
  const navigate = (key: "ArrowDown" | "ArrowUp" | "Enter") => {
    const search = useSearchStore.getState();
    if (key === "ArrowDown") search.move(1);
    else if (key === "ArrowUp") search.move(-1);
    else {
      const hit = search.hits[search.selected];
      if (hit) openHit(hit);
    }
  };

  return (
    <nav className="sidebar" aria-label={t("conversations.heading")}>
      <div className="sidebar__top">
        <div className="brand">
          <img className="brand__mark" src="/favicon.svg" alt="" width={22} height={22} />
          <span className="brand__name">{t("app.name")}</span>
        </div>
        <Button
          className="sidebar__new"
          variant="secondary"
          icon={<PlusIcon />}
          onClick={() => void newConversation()}
          title={t("app.shortcutNewChat")}
          data-testid="new-chat"
        >
          {t("conversations.newChat")}
        </Button>
      </div>
      <SearchBox onNavigate={navigate} />
      {searching ? (
        <div className="sidebar__list">
          <SearchResults onOpen={openHit} />
        </div>
      ) : (
        <>
          <div className="sidebar__heading-row">
            <h2 className="sidebar__heading">{t("agents.heading")}</h2>
            <IconButton
              label={t("agents.new")}
              icon={<PlusIcon />}
              size="sm"
              onClick={() => editAgent("new")}
              data-testid="agent-new-sidebar"
            />
          </div>
          <div className="sidebar__agents">
            <AgentList />
          </div>
          <div className="sidebar__heading-row">
            <h2 className="sidebar__heading">
              {archived ? t("manage.archiveHeading") : t("conversations.heading")}
            </h2>
            <IconButton
              label={archived ? t("manage.showActive") : t("manage.showArchive")}
              icon={<ArchiveIcon />}
              size="sm"
              aria-pressed={archived}
              onClick={() => void showArchived(!archived)}
              data-testid="toggle-archive"
            />
          </div>
          <div className="sidebar__list">
            <ConversationList />
          </div>
        </>
      )}
      <div className="sidebar__footer">
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<KeyIcon />}
          onClick={() => openProviders(true)}
          data-testid="open-providers"
        >
          {t("providers.open")}
        </Button>
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<ToolIcon />}
          onClick={() => openMcp(true)}
          data-testid="open-mcp"
        >
          {t("mcp.open")}
        </Button>
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<BookIcon />}
          onClick={() => openKnowledge(true)}
          data-testid="open-knowledge"
        >
          {t("knowledge.open")}
        </Button>
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<ChartIcon />}
          onClick={() => openAdmin(true)}
          data-testid="open-admin"
        >
          {t("admin.open")}
        </Button>
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<DatabaseIcon />}
          onClick={() => openData(true)}
          data-testid="open-data"
        >
          {t("data.open")}
        </Button>
        <Button
          variant="ghost"
          className="sidebar__settings"
          icon={<SettingsIcon />}
          onClick={() => openSettings(true)}
          data-testid="open-settings"
        >
          {t("settings.open")}
        </Button>
      </div>
    </nav>
  );
}
