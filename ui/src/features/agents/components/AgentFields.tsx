import { useEffect, useId, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormField } from "../../../components/ui/FormField";
import { TextInput } from "../../../components/ui/TextInput";
import { problemDetail, problemText } from "../../../i18n/problemText";
import * as ipc from "../../../ipc";
import type { Agent, Provider } from "../../../ipc";
import { PARAM_FIELDS, POLICY_FIELDS, type AgentDraft, type FieldErrors } from "./agentDraft";
import { AgentToolsSection } from "./AgentToolsSection";
import { AgentKnowledgeSection } from "../../knowledge/components/AgentKnowledgeSection";
import { PresetMessagesField, TextListField } from "./DraftLists";
import { EmojiPicker } from "./EmojiPicker";

/**
 * The agent editor's fields, section by section, each with its error (by the core's field
 * path) beside it.
 */
export function AgentFields({
  agent,
  providers,
  draft,
  errors,
  set,
}: {
  agent: Agent | null;
  providers: Provider[];
  draft: AgentDraft;
  errors: FieldErrors;
  set: (patch: Partial<AgentDraft>) => void;
}) {
  const { t } = useTranslation();
  const id = useId();

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
    <FormField htmlFor={`${id}-${key}`} label={label} hint={hint} error={fieldError(key)}>
      {control}
    </FormField>
  );

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
    <>
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

      <AgentToolsSection
        tools={draft.tools}
        onChange={(tools) => set({ tools })}
        error={fieldError("tools")}
      />
      <AgentKnowledgeSection agent={agent} />
    </>
  );
}
