import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { type AdminTab, useAdmin } from "../store/adminStore";
import { ActivityTab } from "./ActivityTab";
import { UsageTab } from "./UsageTab";

const TABS: AdminTab[] = ["usage", "activity"];

/** The statistics page: usage, running replies and recent errors. The data on disk is in the Data dialog. */
export function AdminDialog() {
  const { t } = useTranslation();
  const { open, setOpen, tab, setTab } = useAdmin();
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("admin.title")}
      description={t("admin.description")}
      closeLabel={t("admin.close")}
      size="lg"
    >
      <div className="tabs" role="tablist" aria-label={t("admin.title")}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`admin-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`admin-panel-${name}`}
            className="tabs__tab"
            onClick={() => setTab(name)}
            data-testid={`admin-tab-${name}`}
          >
            {t(`admin.tabs.${name}`)}
          </button>
        ))}
      </div>
      {open ? (
        <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === "usage" ? <UsageTab /> : <ActivityTab />}
        </div>
      ) : null}
    </Dialog>
  );
}
