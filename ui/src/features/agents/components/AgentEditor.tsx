import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Notice } from "../../../components/ui/Notice";
import { errorText } from "../../../i18n/errorText";
import { problemLine } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { Agent, IpcError, Provider } from "../../../ipc";
import type { Problem } from "../../../ipc/problems";
import {
  PARAM_FIELDS,
  POLICY_FIELDS,
  draftFrom,
  parseDraft,
  type AgentDraft,
  type FieldErrors,
} from "./agentDraft";
import { placeCoreErrors, rowOfSent } from "./agentErrors";
import { AgentActions } from "./AgentActions";
import { AgentFields } from "./AgentFields";
import { TryPane } from "./TryPane";

const KNOWN_FIELDS = new Set([
  "agent_id",
  "provider_id",
  "model",
  "preset_messages",
  "app_preset.name",
  "app_preset.avatar",
  "app_preset.description",
  "app_preset.greetings",
  "app_preset.suggested_questions",
  "tools",
  ...PARAM_FIELDS.map((f) => `params.${f}`),
  ...POLICY_FIELDS.map((f) => `context_policy.${f}`),
]);

/** Saves, duplicates or deletes one agent (null: a new one). */
export function AgentEditor({
  agent,
  providers,
  onSaved,
  onDuplicated,
  onDeleted,
}: {
  agent: Agent | null;
  providers: Provider[];
  onSaved: (agent: Agent) => void;
  onDuplicated: (agent: Agent) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<AgentDraft>(() => draftFrom(agent));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<Problem[]>([]);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [pending, setPending] = useState<"save" | "duplicate" | "delete" | null>(null);
  const [saved, setSaved] = useState(false);
  // Both stay mounted: a try-out goes on while a field is changed, and the next message
  // uses the change.
  const [mode, setMode] = useState<"edit" | "try">("edit");

  const set = (patch: Partial<AgentDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };

  const run = async (kind: "save" | "duplicate" | "delete", action: () => Promise<void>) => {
    setPending(kind);
    setFailure(null);
    setOther([]);
    try {
      await action();
    } catch (e) {
      const error = ipc.toIpcError(e);
      if (error.code === "invalid_input") {
        // Blank greeting and question rows are not sent: the core's row numbers skip them.
        const placed = placeCoreErrors(error.problems, KNOWN_FIELDS, (list, i) =>
          list === "app_preset.greetings"
            ? rowOfSent(draft.greetings, i)
            : list === "app_preset.suggested_questions"
              ? rowOfSent(draft.suggestedQuestions, i)
              : i,
        );
        setErrors(placed.fields);
        setMode("edit");
        setOther(placed.other);
      } else setFailure(error);
    } finally {
      setPending(null);
    }
  };

  const save = () => {
    const { input, errors: found } = parseDraft(draft, agent);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setMode("edit");
      return;
    }
    void run("save", async () => {
      const stored = agent ? await ipc.updateAgent(agent.id, input) : await ipc.createAgent(input);
      setSaved(true);
      onSaved(stored);
    });
  };

  return (
    <form
      className="agent-editor"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <div
        className="segmented agent-editor__mode"
        role="radiogroup"
        aria-label={t("tryAgent.mode")}
      >
        {(["edit", "try"] as const).map((m) => (
          <label key={m} className="segmented__option">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === m}
              onChange={() => setMode(m)}
              data-testid={`agent-mode-${m}`}
            />
            <span>{m === "edit" ? t("tryAgent.edit") : t("tryAgent.title")}</span>
          </label>
        ))}
      </div>
      <div hidden={mode !== "edit"}>
        <AgentFields agent={agent} providers={providers} draft={draft} errors={errors} set={set} />
      </div>
      <div hidden={mode !== "try"}>
        <TryPane
          draft={draft}
          agent={agent}
          onEdit={(found) => {
            setErrors(found);
            setMode("edit");
          }}
        />
      </div>

      {other.length > 0 ? (
        <Notice
          title={t("errors.invalid_input")}
          details={
            <span className="problem-lines">
              {other.map((problem, i) => (
                <span key={i}>{problemLine(t, problem)}</span>
              ))}
            </span>
          }
          data-testid="agent-other-errors"
        />
      ) : null}
      {failure ? (
        <Notice title={errorText(t, failure)} details={failure.message || undefined} />
      ) : null}

      <AgentActions
        agent={agent}
        pending={pending}
        saved={saved}
        onDelete={(target) =>
          void run("delete", async () => {
            await ipc.deleteAgent(target.id);
            onDeleted();
          })
        }
        onDuplicate={(target) =>
          void run("duplicate", async () => onDuplicated(await ipc.duplicateAgent(target.id)))
        }
      />
    </form>
  );
}
