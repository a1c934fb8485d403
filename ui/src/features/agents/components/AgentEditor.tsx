import { useEffect, useId, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { errorText } from "../../../i18n/errorText";
import { problemDetail, problemLine, problemText } from "../../../i18n/problemText";
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
import { PresetMessagesField, TextListField } from "./DraftLists";
import { EmojiPicker } from "./EmojiPicker";
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
  const [confirmDelete, setConfirmDelete] = useState(false);

  const set = (patch: Partial<AgentDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };

  const fieldError = (field: string) => {
    const error = errors[field];
    if (!error) return null;
    const detail = "problem" in error ? problemDetail(error.problem) : null;
    return (
      <p className="field-error" id={`${id}-${field}-error`} data-testid={`agent-error-${field}`}>
        {"problem" in error ? problemText(t, error.problem) : t(`agentErrors.${error.key}`)}
        {detail ? <span className="field-error__detail">{detail}</span> : null}
      </p>
    );
  };
  const invalid = (field: string) =>
    errors[field]
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};

  const field = (key: string, label: string, control: ReactNode, hint?: string) => (
    <div className="form-field">
      <label className="field-label" htmlFor={`${id}-${key}`}>
        {label}
      </label>
      {control}
      {hint ? <p className="field-hint">{hint}</p> : null}
      {fieldError(key)}
    </div>
  );

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

  // Model suggestions from the chosen provider; tagged with it so a late answer for another
  // provider is never shown.
  const [models, setModels] = useState<{ providerId: string; ids: string[] } | null>(null);
  useEffect(() => {
    if (draft.providerId === "") return;
    let live = true;
    const providerId = draft.providerId;
    ipc.listProviderModels(providerId).then(
      (list) => live && setModels({ providerId, ids: list.map((m) => m.id) }),
      () => live && setModels({ providerId, ids: [] }),
    );
    return () => {
      live = false;
    };
  }, [draft.providerId]);
  const modelIds = models?.providerId === draft.providerId ? models.ids : [];

  const providerOptions = useMemo(
    () => providers.map((p) => ({ value: p.id, label: `${p.name} · ${p.defaultModel}` })),
    [providers],
  );

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
        <section className="settings-section">
          <h3 className="settings-section__title">{t("agents.identity")}</h3>
          <div className="agent-editor__identity">
            {field(
              "app_preset.avatar",
              t("agents.avatar"),
              <EmojiPicker
                value={draft.avatar}
                onChange={(avatar) => set({ avatar })}
                inputProps={{
                  id: `${id}-app_preset.avatar`,
                  "data-testid": "agent-avatar",
                  ...invalid("app_preset.avatar"),
                }}
              />,
            )}
            {field(
              "app_preset.name",
              t("agents.name"),
              <TextInput
                id={`${id}-app_preset.name`}
                value={draft.name}
                onChange={(e) => set({ name: e.target.value })}
                data-testid="agent-name"
                {...invalid("app_preset.name")}
              />,
            )}
          </div>
          {field(
            "app_preset.description",
            t("agents.description"),
            <TextInput
              id={`${id}-app_preset.description`}
              value={draft.description}
              onChange={(e) => set({ description: e.target.value })}
              {...invalid("app_preset.description")}
            />,
          )}
          {field(
            "agent_id",
            t("agents.slug"),
            <TextInput
              id={`${id}-agent_id`}
              className="mono"
              value={draft.agentId}
              spellCheck={false}
              disabled={agent?.builtin}
              onChange={(e) => set({ agentId: e.target.value })}
              data-testid="agent-slug"
              {...invalid("agent_id")}
            />,
            t("agents.slugHint"),
          )}
        </section>

        <section className="settings-section">
          <h3 className="settings-section__title">{t("agents.modelHeading")}</h3>
          <div className="agent-editor__pair">
            {field(
              "provider_id",
              t("agents.provider"),
              <select
                id={`${id}-provider_id`}
                className="select"
                value={draft.providerId}
                onChange={(e) => set({ providerId: e.target.value })}
                data-testid="agent-provider"
                {...invalid("provider_id")}
              >
                <option value="">{t("agents.providerDefault")}</option>
                {providerOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>,
            )}
            {field(
              "model",
              t("agents.model"),
              <TextInput
                id={`${id}-model`}
                className="mono"
                value={draft.model}
                placeholder={t("agents.modelDefault")}
                list={`${id}-models`}
                onChange={(e) => set({ model: e.target.value })}
                data-testid="agent-model"
                {...invalid("model")}
              />,
            )}
          </div>
          <datalist id={`${id}-models`}>
            {modelIds.map((model) => (
              <option key={model} value={model} />
            ))}
          </datalist>
          <div className="agent-editor__params">
            {PARAM_FIELDS.map((param) => (
              <div key={param}>
                {field(
                  `params.${param}`,
                  t(`agents.params.${param}`),
                  <TextInput
                    id={`${id}-params.${param}`}
                    inputMode="decimal"
                    value={draft.params[param]}
                    placeholder={t("agents.unset")}
                    onChange={(e) => set({ params: { ...draft.params, [param]: e.target.value } })}
                    data-testid={`agent-param-${param}`}
                    {...invalid(`params.${param}`)}
                  />,
                )}
              </div>
            ))}
          </div>
        </section>

        <section className="settings-section">
          <PresetMessagesField
            messages={draft.presetMessages}
            onChange={(presetMessages) => set({ presetMessages })}
            error={fieldError("preset_messages")}
            rowError={(i) => fieldError(`preset_messages[${i}]`)}
          />
        </section>

        <section className="settings-section">
          <h3 className="settings-section__title">{t("agents.welcomeHeading")}</h3>
          <TextListField
            testId="agent-greetings"
            label={t("agents.greetings")}
            addLabel={t("agents.addGreeting")}
            multiline
            values={draft.greetings}
            onChange={(greetings) => set({ greetings })}
            error={fieldError("app_preset.greetings")}
            rowError={(i) => fieldError(`app_preset.greetings[${i}]`)}
          />
          <TextListField
            testId="agent-suggestedQuestions"
            label={t("agents.suggestedQuestions")}
            addLabel={t("agents.addQuestion")}
            multiline={false}
            values={draft.suggestedQuestions}
            onChange={(suggestedQuestions) => set({ suggestedQuestions })}
            error={fieldError("app_preset.suggested_questions")}
            rowError={(i) => fieldError(`app_preset.suggested_questions[${i}]`)}
          />
        </section>

        <section className="settings-section">
          <h3 className="settings-section__title">{t("agents.contextHeading")}</h3>
          <div className="agent-editor__pair">
            {POLICY_FIELDS.map((policy) => (
              <div key={policy}>
                {field(
                  `context_policy.${policy}`,
                  t(`agents.policy.${policy}`),
                  <TextInput
                    id={`${id}-context_policy.${policy}`}
                    inputMode="numeric"
                    value={draft.policy[policy]}
                    placeholder={t("agents.unlimited")}
                    onChange={(e) => set({ policy: { ...draft.policy, [policy]: e.target.value } })}
                    data-testid={`agent-policy-${policy}`}
                    {...invalid(`context_policy.${policy}`)}
                  />,
                )}
              </div>
            ))}
          </div>
        </section>
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

      <div className="agent-editor__actions">
        {agent && !agent.builtin ? (
          confirmDelete ? (
            <span className="agent-editor__confirm" role="group">
              <span>{t("agents.deleteConfirmText")}</span>
              <Button
                variant="danger"
                size="sm"
                disabled={pending !== null}
                onClick={() =>
                  void run("delete", async () => {
                    await ipc.deleteAgent(agent.id);
                    onDeleted();
                  })
                }
                data-testid="agent-delete-confirm"
              >
                {t("agents.delete")}
              </Button>
              <Button size="sm" onClick={() => setConfirmDelete(false)}>
                {t("conversations.cancel")}
              </Button>
            </span>
          ) : (
            <Button
              variant="ghost"
              className="btn--danger-text"
              onClick={() => setConfirmDelete(true)}
              data-testid="agent-delete"
            >
              {t("agents.delete")}
            </Button>
          )
        ) : null}
        <span className="agent-editor__spacer" />
        {saved ? (
          <p className="field-success" role="status">
            {t("agents.saved")}
          </p>
        ) : null}
        {agent ? (
          <Button
            disabled={pending !== null}
            onClick={() =>
              void run("duplicate", async () => onDuplicated(await ipc.duplicateAgent(agent.id)))
            }
            data-testid="agent-duplicate"
          >
            {t("agents.duplicate")}
          </Button>
        ) : null}
        <Button
          type="submit"
          variant="primary"
          disabled={pending !== null}
          data-testid="agent-save"
        >
          {pending === "save" ? t("settings.saving") : t("settings.save")}
        </Button>
      </div>
    </form>
  );
}
