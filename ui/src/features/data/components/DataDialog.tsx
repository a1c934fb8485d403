import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { Spinner } from "../../../components/ui/Spinner";
import { useDataDialog } from "../store/dataDialogStore";

// Loaded when the dialog first opens: most sessions never open it.
const DataPanel = lazy(() => import("./DataPanel").then((m) => ({ default: m.DataPanel })));

export function DataDialog() {
  const { t } = useTranslation();
  const open = useDataDialog((s) => s.open);
  const setOpen = useDataDialog((s) => s.setOpen);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("data.title")}
      description={t("data.description")}
      closeLabel={t("data.close")}
    >
      {/* Mounted only while open, so each opening reads fresh sizes and backups. */}
      {open ? (
        <Suspense fallback={<Spinner label={t("data.loading")} />}>
          <DataPanel />
        </Suspense>
      ) : null}
    </Dialog>
  );
}
