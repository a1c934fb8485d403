/**
 * Whether the model the open conversation talks to can see images: its agent's provider
 * and model, else the default provider and that provider's default model (as the core
 * routes a request).
 */
import { useEffect, useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError, ModelCapabilities } from "../../../ipc";
import { usePreferences } from "../../settings/store/preferencesStore";
import { useChatStore } from "../store/chatStore";

export interface ModelTarget {
  providerId: string;
  model: string;
}

/** Where the open conversation's next request goes; null while unknown (or nowhere). */
export function useModelTarget(enabled: boolean): ModelTarget | null {
  const agent = useChatStore((s) => s.agent);
  const defaultProviderId = usePreferences((s) => s.value?.defaultProviderId ?? null);
  const providerId = agent?.providerId ?? defaultProviderId;
  const agentModel = agent?.model?.trim() || null;
  const [fallback, setFallback] = useState<{ providerId: string; model: string | null } | null>(
    null,
  );
  useEffect(() => {
    if (!enabled || providerId === null || agentModel !== null) return;
    let live = true;
    ipc.listProviders().then(
      (providers) => {
        const provider = providers.find((p) => p.id === providerId);
        if (live) setFallback({ providerId, model: provider?.defaultModel ?? null });
      },
      // The core says why when the message is sent (`no_provider`).
      () => live && setFallback({ providerId, model: null }),
    );
    return () => {
      live = false;
    };
  }, [enabled, providerId, agentModel]);
  if (providerId === null) return null;
  const model = agentModel ?? (fallback?.providerId === providerId ? fallback.model : null);
  return model ? { providerId, model } : null;
}

export interface VisionCheck {
  target: ModelTarget | null;
  /** null until known (or when there is nothing to check). */
  capabilities: ModelCapabilities | null;
  error: IpcError | null;
  /** Says the model can see images, and checks again. */
  allow: () => Promise<void>;
}

/** Asks the core about the model only while `enabled` (images are attached). */
export function useVisionCheck(enabled: boolean): VisionCheck {
  const target = useModelTarget(enabled);
  const [state, setState] = useState<{
    key: string;
    capabilities: ModelCapabilities | null;
    error: IpcError | null;
  } | null>(null);
  const key = target ? `${target.providerId}\n${target.model}` : null;
  // Bumped after the person says the model can see images: ask again.
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!enabled || !target || key === null) return;
    let live = true;
    ipc.modelCapabilities(target.providerId, target.model).then(
      (capabilities) => live && setState({ key, capabilities, error: null }),
      (error: unknown) =>
        live && setState({ key, capabilities: null, error: ipc.toIpcError(error) }),
    );
    return () => {
      live = false;
    };
    // `target` is new on every render; `key` names it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, key, asked]);

  const allow = async () => {
    if (!target || key === null) return;
    try {
      await ipc.setModelVision(target.providerId, target.model, true);
      setAsked((n) => n + 1);
    } catch (error) {
      setState({ key, capabilities: null, error: ipc.toIpcError(error) });
    }
  };

  const current = state?.key === key ? state : null;
  return {
    target,
    capabilities: enabled ? (current?.capabilities ?? null) : null,
    error: enabled ? (current?.error ?? null) : null,
    allow,
  };
}
