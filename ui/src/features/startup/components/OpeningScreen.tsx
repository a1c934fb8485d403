import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Spinner } from "../../../components/ui/Spinner";

/** Shows nothing for the usual instant start; after this long, says what is happening. */
const QUIET_MS = 600;

/** While the database opens: usually a blink, after an update on a large history a while. */
export function OpeningScreen() {
  const { t } = useTranslation();
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
          <p className="opening__title">{t("startup.opening")}</p>
          <p className="opening__hint">{t("startup.openingHint")}</p>
        </div>
      ) : null}
    </div>
  );
}
