import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as ipc from "../../../ipc";
import type { ModelCapabilities } from "../../../ipc";

type Choice = "auto" | "yes" | "no";

/**
 * Whether the provider's saved model can see images: what Confab knows or guesses from its
 * name, or the person's word. A change is stored at once (it is not part of the form).
 * Keyed by provider and model where it is used, so that its state starts afresh for each.
 */
export function ModelVisionField({ providerId, model }: { providerId: string; model: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [capabilities, setCapabilities] = useState<ModelCapabilities | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    ipc.modelCapabilities(providerId, model).then(
      (found) => live && setCapabilities(found),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [providerId, model]);

  if (failed || model.trim() === "") return null;
  const choice: Choice =
    capabilities?.source === "user" ? (capabilities.vision ? "yes" : "no") : "auto";
  const choose = async (next: Choice) => {
    try {
      await ipc.setModelVision(providerId, model, next === "auto" ? null : next === "yes");
      setCapabilities(await ipc.modelCapabilities(providerId, model));
    } catch {
      setFailed(true);
    }
  };
  return (
    <div className="form-field">
      <label className="field-label" htmlFor={`${id}-vision`}>
        {t("providers.vision", { model })}
      </label>
      <select
        id={`${id}-vision`}
        className="select"
        value={choice}
        disabled={capabilities === null}
        onChange={(e) => void choose(e.target.value as Choice)}
        data-testid="provider-model-vision"
      >
        <option value="auto">{t("providers.visionAuto")}</option>
        <option value="yes">{t("providers.visionYes")}</option>
        <option value="no">{t("providers.visionNo")}</option>
      </select>
      {capabilities !== null && capabilities.source !== "user" ? (
        <p className="field-hint" data-testid="provider-model-vision-hint">
          {capabilities.vision ? t("providers.visionAutoYes") : t("providers.visionAutoNo")}
        </p>
      ) : null}
    </div>
  );
}
