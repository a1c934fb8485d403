import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { Spinner } from "../../../components/ui/Spinner";
import { type AdminTab, useAdmin } from "../store/adminStore";

// Loaded when the dialog first opens: most sessions never open it.
const UsageTab = lazy(() => import("./UsageTab").then((m) => ({ default: m.UsageTab })));
const ActivityTab = lazy(() => import("./ActivityTab").then((m) => ({ default: m.ActivityTab })));

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
          <Suspense fallback={<Spinner label={t("admin.loading")} />}>
            {tab === "usage" ? <UsageTab /> : <ActivityTab />}
          </Suspense>
        </div>
      ) : null}
    </Dialog>
  );
}
