import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import type { IpcError } from "../../../ipc";
import { useProvidersPage } from "../../providers/store/providersPageStore";
import { useSettingsDialog } from "../../settings/store/settingsDialogStore";

/** Codes the person fixes in Settings; their banner offers to go there. */
const SETTINGS_CODES = new Set<IpcError["code"]>([
  "no_provider",
  "no_api_key",
  "provider_auth",
  "network",
  "provider",
  "model_not_found",
  "rate_limited",
  "stalled",
]);

/** Codes about a provider's key, address or model; their banner also offers the providers page. */
const PROVIDER_CODES = new Set<IpcError["code"]>([
  "no_provider",
  "no_api_key",
  "provider_auth",
  "network",
  "model_not_found",
]);

export function ErrorBanner({ error, onDismiss }: { error: IpcError; onDismiss: () => void }) {
  const { t } = useTranslation();
  const openSettings = useSettingsDialog((s) => s.setOpen);
  const openProviders = useProvidersPage((s) => s.setOpen);
  const details = errorDetails(error);

  return (
    <Notice
      className="error-banner"
      data-testid="error-banner"
      data-code={error.code}
      title={errorText(t, error)}
      details={details ? t("chat.errorDetails", { message: details }) : undefined}
      dismissLabel={t("chat.dismiss")}
      onDismiss={onDismiss}
      actions={
        SETTINGS_CODES.has(error.code) ? (
          <>
            {PROVIDER_CODES.has(error.code) ? (
              <Button
                size="sm"
                onClick={() => openProviders(true)}
                data-testid="error-open-providers"
              >
                {t("chat.openProviders")}
              </Button>
            ) : null}
            <Button size="sm" onClick={() => openSettings(true)}>
              {t("chat.openSettings")}
            </Button>
          </>
        ) : undefined
      }
    />
  );
}
