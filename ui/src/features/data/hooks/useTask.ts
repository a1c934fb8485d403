import { useCallback, useState } from "react";
import { toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";

/**
 * One action of a section (back up, export, ...): whether it runs, and its last error.
 * `run` resolves with the action's result, or `undefined` when it failed.
 */
export function useTask() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const run = useCallback(async <T>(name: string, action: () => Promise<T>) => {
    setBusy(name);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(toIpcError(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, run, clearError: () => setError(null) };
}

export type Task = ReturnType<typeof useTask>;
