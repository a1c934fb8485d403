import { useTranslation } from "react-i18next";

export function EmptyState() {
  const { t } = useTranslation();
  return (
    <div className="empty-state">
      <img className="empty-state__mark" src="/favicon.svg" alt="" width={56} height={56} />
      <h1 className="empty-state__title">{t("chat.emptyTitle")}</h1>
      <p className="empty-state__hint">{t("chat.emptyHint")}</p>
    </div>
  );
}
