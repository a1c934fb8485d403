import { useState } from "react";
import * as ipc from "../../../ipc";
import type { IpcError } from "../../../ipc";
import { placeProblems, type Problem } from "../../../ipc/problems";

/**
 * A settings form's draft and its save: checked here first (`validate` gives a message key
 * per field), then sent; the core's problems are placed at their fields, or told as one
 * error when some fit no field.
 */
export function useDraftForm<D, F extends string, K extends string, T>({
  initial,
  validate,
  fieldOfPath,
  send,
  onSaved,
}: {
  initial: D;
  validate: (draft: D) => Partial<Record<F, K>>;
  fieldOfPath: (path: string) => F | null;
  send: (draft: D) => Promise<T>;
  onSaved: (stored: T) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<F, K | Problem>>>({});
  const [coreError, setCoreError] = useState<IpcError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const set = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };

  const save = async () => {
    const found = validate(draft);
    setErrors(found);
    setCoreError(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const stored = await send(draft);
      setSaved(true);
      onSaved(stored);
    } catch (e) {
      const error = ipc.toIpcError(e);
      const placed = placeProblems(error.problems, fieldOfPath);
      if (error.code === "invalid_input" && placed.other.length === 0) setErrors(placed.fields);
      else setCoreError(error);
    } finally {
      setSaving(false);
    }
  };

  return { draft, set, errors, coreError, saving, saved, save };
}
