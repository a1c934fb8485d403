import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { LayersIcon } from "../../../components/ui/icons";
import { useContextStore } from "../store/contextStore";

/** Opens the context editor on the conversation; sits in the chat header. */
export function ContextButton({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={<LayersIcon />}
      title={t("context.openLabel")}
      onClick={() => void useContextStore.getState().open(conversationId)}
      data-testid="open-context"
    >
      {t("context.open")}
    </Button>
  );
}
