import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { errorText } from "../../../i18n/errorText";
import { useContextStore } from "../store/contextStore";
import { ContextMessages } from "./ContextMessages";
import { OverrideEditor } from "./OverrideEditor";
import { TokenCount } from "./TokenCount";

/** The context editor: what the open conversation sends with its next request. */
export function ContextDrawer() {
  const { t } = useTranslation();
  const conversationId = useContextStore((s) => s.conversationId);
  const status = useContextStore((s) => s.status);
  const loadError = useContextStore((s) => s.loadError);
  const error = useContextStore((s) => s.error);
  const dirty = useContextStore((s) => s.dirty);
  const saving = useContextStore((s) => s.saving);
  const { close, save, open } = useContextStore.getState();

  let body;
  if (status === "loading") {
    body = <Spinner label={t("context.loading")} />;
  } else if (status === "error" && loadError) {
    body = (
      <Notice
        title={t("context.loadFailed")}
        details={errorText(t, loadError)}
        actions={
          <Button size="sm" onClick={() => conversationId && void open(conversationId)}>
            {t("context.retry")}
          </Button>
        }
      />
    );
  } else {
    body = (
      <>
        <TokenCount />
        {error ? <Notice title={errorText(t, error)} data-testid="context-error" /> : null}
        <OverrideEditor />
        <ContextMessages />
      </>
    );
  }

  return (
    <Dialog
      open={conversationId !== null}
      onOpenChange={(isOpen) => !isOpen && close()}
      title={t("context.title")}
      description={t("context.description")}
      closeLabel={t("context.close")}
      variant="drawer"
      footer={
        status === "ready" ? (
          <Button
            variant="primary"
            disabled={!dirty || saving}
            onClick={() => void save()}
            data-testid="context-save"
          >
            {saving ? t("context.saving") : dirty ? t("context.save") : t("context.saved")}
          </Button>
        ) : undefined
      }
    >
      <div className="context-drawer" data-testid="context-drawer">
        {body}
      </div>
    </Dialog>
  );
}
