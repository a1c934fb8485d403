import { useEffect, useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError } from "../../../ipc";

/**
 * The knowledge bases attached to something (an agent, a conversation): read when shown,
 * and saved at once on each change. A change the core refuses is undone and said.
 */
export function useAttachedBases(
  key: string | null,
  read: (key: string) => Promise<string[]>,
  write: (key: string, kbIds: string[]) => Promise<void>,
) {
  const [ids, setIds] = useState<{ key: string; ids: string[] } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    read(key).then(
      (list) => live && setIds({ key, ids: list }),
      (e: unknown) => live && setError(ipc.toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [key, read]);

  const current = ids && ids.key === key ? ids.ids : null;
  const toggle = async (kbId: string, on: boolean) => {
    if (key === null || current === null) return;
    const before = current;
    const next = on
      ? [...before.filter((id) => id !== kbId), kbId]
      : before.filter((id) => id !== kbId);
    setIds({ key, ids: next });
    setError(null);
    try {
      await write(key, next);
    } catch (e) {
      setIds({ key, ids: before });
      setError(ipc.toIpcError(e));
    }
  };

  return { ids: current, error, toggle };
}
