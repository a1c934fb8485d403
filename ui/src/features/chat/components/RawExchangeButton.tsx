import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/ui/Dialog";
import { IconButton } from "../../../components/ui/IconButton";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { CodeIcon } from "../../../components/ui/icons";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { getMessageDebug, toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";

type Loaded =
  | { status: "loading" }
  | { status: "ready"; json: string | null }
  | {
      status: "error";
      error: IpcError;
    };

/**
 * Shows the raw request and the provider's chunks kept with a reply while the debug capture
 * setting is on. Shown as text in a `<pre>`: never parsed as markup.
 */
export function RawExchangeButton({ messageId }: { messageId: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Loaded | null>(null);

  const open = async () => {
    setShown({ status: "loading" });
    try {
      setShown({ status: "ready", json: await getMessageDebug(messageId) });
    } catch (error) {
      setShown({ status: "error", error: toIpcError(error) });
    }
  };

  return (
    <>
      <IconButton
        size="sm"
        label={t("chat.rawExchange")}
        icon={<CodeIcon />}
        onClick={() => void open()}
        data-testid="raw-exchange"
      />
      <Dialog
        open={shown !== null}
        onOpenChange={(next) => !next && setShown(null)}
        title={t("chat.rawExchange")}
        description={t("chat.rawExchangeHint")}
        closeLabel={t("chat.dismiss")}
        size="lg"
      >
        {shown?.status === "loading" ? <Spinner label={t("chat.loading")} /> : null}
        {shown?.status === "error" ? (
          <Notice title={errorText(t, shown.error)} details={errorDetails(shown.error)} />
        ) : null}
        {shown?.status === "ready" ? (
          shown.json === null ? (
            <p className="field-hint" data-testid="raw-exchange-none">
              {t("chat.rawExchangeNone")}
            </p>
          ) : (
            <pre className="raw-exchange" data-testid="raw-exchange-json">
              {shown.json}
            </pre>
          )
        ) : null}
      </Dialog>
    </>
  );
}
