import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { ConnectionReport, IpcError } from "../../../ipc";

type Result =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "ok"; report: ConnectionReport }
  | { kind: "error"; error: IpcError };

/**
 * Mounted per provider (keyed by its id), so a result never shows under another provider.
 * Asks the provider for its models with the stored settings and key, and says what happened.
 */
export function ConnectionTest({
  providerId,
  disabled,
}: {
  providerId: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [result, setResult] = useState<Result>({ kind: "idle" });

  const test = async () => {
    setResult({ kind: "running" });
    try {
      setResult({ kind: "ok", report: await ipc.testProviderConnection(providerId) });
    } catch (e) {
      setResult({ kind: "error", error: ipc.toIpcError(e) });
    }
  };

  return (
    <section className="settings-section">
      <div className="settings-section__head">
        <h3 className="settings-section__title">{t("providers.testHeading")}</h3>
        <Button
          onClick={() => void test()}
          disabled={disabled || result.kind === "running"}
          data-testid="provider-test"
        >
          {result.kind === "running" ? t("providers.testing") : t("providers.test")}
        </Button>
      </div>
      <div data-testid="provider-test-result" aria-live="polite">
        {result.kind === "ok" ? (
          <p className="field-success">
            {t("providers.testOk", {
              count: result.report.models.length,
              ms: Math.round(result.report.latencyMs),
            })}
          </p>
        ) : null}
        {result.kind === "error" ? (
          <Notice title={errorText(t, result.error)} details={result.error.message || undefined} />
        ) : null}
        {result.kind === "idle" ? <p className="field-hint">{t("providers.testHint")}</p> : null}
      </div>
    </section>
  );
}
