import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import type { VisionCheck } from "./modelVision";

/** Said before sending when the model cannot see the attached images; Send waits for it. */
export function VisionWarning({ check }: { check: VisionCheck }) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  if (check.capabilities?.vision !== false || !check.target) return null;
  const { model } = check.target;
  return (
    <Notice
      className="composer__vision"
      data-testid="vision-warning"
      title={t("attachments.cannotSee", { model })}
      details={t("attachments.cannotSeeHint")}
      actions={
        <Button
          size="sm"
          disabled={saving}
          onClick={() => {
            setSaving(true);
            void check.allow().finally(() => setSaving(false));
          }}
          data-testid="vision-allow"
        >
          {t("attachments.canSee")}
        </Button>
      }
    />
  );
}
