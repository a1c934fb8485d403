import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Spinner } from "../../../components/ui/Spinner";
import { useStartup } from "../store/startupStore";

/** Shows nothing for the usual instant start; after this long, says what is happening. */
const QUIET_MS = 600;

/** While the database opens: usually a blink, after an update on a large history a while. */
export function OpeningScreen() {
  const { t } = useTranslation();
  const progress = useStartup((s) => s.status?.progress ?? null);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), QUIET_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="app app--starting" aria-busy="true">
      {slow ? (
        <div className="opening" role="status" data-testid="opening-screen">
          <Spinner />
          <p className="opening__title">
            {progress?.step === "backing_up"
              ? t("startup.backingUp")
              : progress?.step === "upgrading"
                ? t("startup.upgrading")
                : t("startup.opening")}
          </p>
          {progress?.percent != null ? (
            <progress
              className="opening__progress"
              max={100}
              value={progress.percent}
              aria-label={t("startup.backingUp")}
              data-testid="opening-progress"
            />
          ) : null}
          <p className="opening__hint">{t("startup.openingHint")}</p>
        </div>
      ) : null}
    </div>
  );
}
