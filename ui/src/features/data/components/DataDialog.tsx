import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { useDataDialog } from "../store/dataDialogStore";
import { DataPanel } from "./DataPanel";

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
      {open ? <DataPanel /> : null}
    </Dialog>
  );
}
