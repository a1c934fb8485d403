import { useCallback, useEffect, useRef, useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError, KnowledgeProgress } from "../../../ipc";

/** How often the page asks where indexing stands while it runs. */
export const PROGRESS_POLL_MS = 500;
/**
 * How often it asks otherwise: a watched folder's change, or a source just added, starts a
 * run by itself (the core may start it a moment after the command returned).
 */
export const IDLE_POLL_MS = 3000;

/**
 * Where a base's indexing stands, read when shown, when `version` changes (sources were
 * added or removed), and every `PROGRESS_POLL_MS` while it runs (`IDLE_POLL_MS` while it
 * does not). `onAdvance` is called when files got done (or the run ended), so the file list and
 * the counts can be read again.
 */
export function useIndexing(kbId: string, version: number, onAdvance: () => void) {
  const [progress, setProgress] = useState<KnowledgeProgress | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const last = useRef<KnowledgeProgress | null>(null);
  const advance = useRef(onAdvance);
  useEffect(() => {
    advance.current = onAdvance;
  });

  /** Takes a progress read from the core; tells `onAdvance` when it moved. */
  const take = useCallback((next: KnowledgeProgress) => {
    const before = last.current;
    last.current = next;
    setProgress(next);
    setError(null);
    if (before && (before.done !== next.done || before.state !== next.state)) advance.current();
  }, []);
  const read = useCallback(
    () => ipc.knowledgeProgress(kbId).then(take, (e: unknown) => setError(ipc.toIpcError(e))),
    [kbId, take],
  );

  // The panel is keyed by the base: a new base starts with a fresh state.
  useEffect(() => {
    ipc.knowledgeProgress(kbId).then(take, (e: unknown) => setError(ipc.toIpcError(e)));
  }, [kbId, take, version]);

  const running = progress?.state === "running";
  useEffect(() => {
    const timer = window.setInterval(() => void read(), running ? PROGRESS_POLL_MS : IDLE_POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, read]);

  /** Runs one of the run's verbs, then reads where it stands. */
  const act = useCallback(
    async (verb: (kbId: string) => Promise<void>) => {
      try {
        await verb(kbId);
      } catch (e) {
        setError(ipc.toIpcError(e));
      }
      await read();
      advance.current();
    },
    [kbId, read],
  );

  return { progress, error, read, act };
}
