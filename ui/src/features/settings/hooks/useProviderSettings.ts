import { useCallback, useEffect, useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError, KeyStatus, ProviderInfo } from "../../../ipc";

type Loadable<T> =
  { status: "loading" } | { status: "ready"; value: T } | { status: "error"; error: IpcError };

export interface ProviderSettings {
  keyStatus: Loadable<KeyStatus>;
  provider: Loadable<ProviderInfo>;
  /** A save or clear in flight. */
  pending: "save" | "clear" | null;
  /** Why the last save or clear failed. */
  actionError: IpcError | null;
  /** What the last successful save or clear did, for a short confirmation. */
  lastAction: "saved" | "cleared" | null;
  saveKey: (key: string) => Promise<boolean>;
  clearKey: () => Promise<boolean>;
}

/**
 * Reads the key status and provider while mounted. The key itself only ever travels
 * UI → core; what comes back is `{ set, last4 }`.
 */
export function useProviderSettings(): ProviderSettings {
  const [keyStatus, setKeyStatus] = useState<Loadable<KeyStatus>>({ status: "loading" });
  const [provider, setProvider] = useState<Loadable<ProviderInfo>>({ status: "loading" });
  const [pending, setPending] = useState<"save" | "clear" | null>(null);
  const [actionError, setActionError] = useState<IpcError | null>(null);
  const [lastAction, setLastAction] = useState<"saved" | "cleared" | null>(null);

  useEffect(() => {
    let live = true;
    ipc.getApiKeyStatus().then(
      (value) => live && setKeyStatus({ status: "ready", value }),
      (error: unknown) => live && setKeyStatus({ status: "error", error: ipc.toIpcError(error) }),
    );
    ipc.getProviderInfo().then(
      (value) => live && setProvider({ status: "ready", value }),
      (error: unknown) => live && setProvider({ status: "error", error: ipc.toIpcError(error) }),
    );
    return () => {
      live = false;
    };
  }, []);

  const run = useCallback(
    async (kind: "save" | "clear", action: () => Promise<KeyStatus>): Promise<boolean> => {
      setPending(kind);
      setActionError(null);
      setLastAction(null);
      try {
        setKeyStatus({ status: "ready", value: await action() });
        setLastAction(kind === "save" ? "saved" : "cleared");
        return true;
      } catch (error) {
        setActionError(ipc.toIpcError(error));
        return false;
      } finally {
        setPending(null);
      }
    },
    [],
  );

  const saveKey = useCallback((key: string) => run("save", () => ipc.setApiKey(key)), [run]);
  const clearKey = useCallback(() => run("clear", () => ipc.clearApiKey()), [run]);

  return { keyStatus, provider, pending, actionError, lastAction, saveKey, clearKey };
}
