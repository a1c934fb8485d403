import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { TextArea } from "../../../components/ui/TextArea";
import { ArrowDownIcon, ArrowUpIcon, PlusIcon, TrashIcon } from "../../../components/ui/icons";
import { problemText } from "../../../i18n/problemText";
import type { PromptMessage, Role } from "../../../ipc";
import { TemplatesDialog } from "../../templates/components/TemplatesDialog";
import { useContextStore } from "../store/contextStore";

const ROLES: {
  role: Role;
  label: "context.roleSystem" | "context.roleUser" | "context.roleAssistant";
}[] = [
  { role: "system", label: "context.roleSystem" },
  { role: "user", label: "context.roleUser" },
  { role: "assistant", label: "context.roleAssistant" },
];

/** A field error: ours is a key (`empty`), the core's a problem; both translated. */
function useFieldError() {
  const { t } = useTranslation();
  const fieldErrors = useContextStore((s) => s.fieldErrors);
  return (field: string) => {
    const error = fieldErrors[field];
    if (error === undefined) return null;
    return error === "empty" ? t("context.emptyContent") : problemText(t, error);
  };
}

/** The conversation's system prompt and preset messages, and a template to apply. */
export function OverrideEditor() {
  const { t } = useTranslation();
  const draft = useContextStore((s) => s.draft);
  const templates = useContextStore((s) => s.templates);
  const { edit, applyTemplate } = useContextStore.getState();
  const fieldError = useFieldError();
  const [chosen, setTemplate] = useState<string | null>(null);
  const [managing, setManaging] = useState(false);
  // The default template is the one offered first; a choice the person made stays while
  // that template exists.
  const defaultId = templates.find((tpl) => tpl.isDefault)?.id ?? "";
  const template =
    chosen !== null && (chosen === "" || templates.some((tpl) => tpl.id === chosen))
      ? chosen
      : defaultId;
  const presets = draft.presetMessages;
  const promptError = fieldError("systemPrompt");
  const presetsError = fieldError("presetMessages");

  const setPresets = (next: PromptMessage[] | null) => edit({ ...draft, presetMessages: next });
  const setPreset = (index: number, change: Partial<PromptMessage>) =>
    setPresets((presets ?? []).map((m, i) => (i === index ? { ...m, ...change } : m)));
  const move = (index: number, by: number) => {
    const next = [...(presets ?? [])];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + by, 0, item);
    setPresets(next);
  };

  return (
    <div className="context-override">
      <div className="context-field">
        <label className="context-field__label" htmlFor="context-template">
          {t("context.template")}
        </label>
        {templates.length === 0 ? (
          <p className="context-field__hint">{t("context.templatesEmpty")}</p>
        ) : (
          <div className="context-template">
            <select
              id="context-template"
              className="select"
              value={template}
              onChange={(e) => setTemplate(e.target.value)}
              data-testid="context-template"
            >
              <option value="">{t("context.templateNone")}</option>
              {templates.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.isDefault ? t("templates.defaultOption", { name: tpl.name }) : tpl.name}
                </option>
              ))}
            </select>
            <Button
              size="sm"
              disabled={template === ""}
              onClick={() => void applyTemplate(template)}
              data-testid="context-apply-template"
            >
              {t("context.applyTemplate")}
            </Button>
          </div>
        )}
        <Button
          size="sm"
          variant="ghost"
          className="context-template__manage"
          onClick={() => setManaging(true)}
          data-testid="context-manage-templates"
        >
          {t("templates.manage")}
        </Button>
        <TemplatesDialog
          open={managing}
          onOpenChange={setManaging}
          onChanged={(list) => useContextStore.setState({ templates: list })}
        />
      </div>

      <div className="context-field">
        <label className="context-field__label" htmlFor="context-system-prompt">
          {t("context.systemPrompt")}
        </label>
        <TextArea
          id="context-system-prompt"
          value={draft.systemPrompt ?? ""}
          placeholder={t("context.systemPromptHint")}
          maxHeight={200}
          rows={3}
          aria-invalid={promptError ? true : undefined}
          aria-describedby={promptError ? "context-system-prompt-error" : undefined}
          onChange={(e) =>
            edit({ ...draft, systemPrompt: e.target.value === "" ? null : e.target.value })
          }
          data-testid="context-system-prompt"
        />
        {promptError ? (
          <p className="field-error" id="context-system-prompt-error">
            {promptError}
          </p>
        ) : null}
      </div>

      <fieldset className="context-field context-presets">
        <legend className="context-field__label">{t("context.presets")}</legend>
        <p className="context-field__hint">
          {presets === null ? t("context.presetsUseAgent") : t("context.presetsHint")}
        </p>
        {presetsError ? <p className="field-error">{presetsError}</p> : null}
        {(presets ?? []).map((message, i) => {
          const n = i + 1;
          const error = fieldError(`presetMessages.${i}.content`);
          const roleError = fieldError(`presetMessages.${i}.role`);
          return (
            <div className="context-preset" key={i} data-testid="context-preset">
              <div className="context-preset__bar">
                <select
                  className="select select--sm"
                  aria-label={t("context.role", { n })}
                  value={message.role}
                  onChange={(e) => setPreset(i, { role: e.target.value as Role })}
                >
                  {ROLES.map(({ role, label }) => (
                    <option key={role} value={role}>
                      {t(label)}
                    </option>
                  ))}
                </select>
                <span className="context-preset__tools">
                  <IconButton
                    size="sm"
                    label={t("context.moveUp", { n })}
                    icon={<ArrowUpIcon />}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  />
                  <IconButton
                    size="sm"
                    label={t("context.moveDown", { n })}
                    icon={<ArrowDownIcon />}
                    disabled={i === (presets?.length ?? 0) - 1}
                    onClick={() => move(i, 1)}
                  />
                  <IconButton
                    size="sm"
                    label={t("context.removePreset", { n })}
                    icon={<TrashIcon />}
                    onClick={() => setPresets((presets ?? []).filter((_, j) => j !== i))}
                  />
                </span>
              </div>
              <TextArea
                value={message.content}
                aria-label={t("context.content", { n })}
                aria-invalid={error ? true : undefined}
                maxHeight={160}
                rows={2}
                onChange={(e) => setPreset(i, { content: e.target.value })}
              />
              {roleError ? <p className="field-error">{roleError}</p> : null}
              {error ? <p className="field-error">{error}</p> : null}
            </div>
          );
        })}
        <div className="context-presets__actions">
          <Button
            size="sm"
            variant="ghost"
            icon={<PlusIcon />}
            onClick={() => setPresets([...(presets ?? []), { role: "user", content: "" }])}
            data-testid="context-add-preset"
          >
            {t("context.addPreset")}
          </Button>
          {presets !== null ? (
            <Button size="sm" variant="ghost" onClick={() => setPresets(null)}>
              {t("context.reset")}
            </Button>
          ) : null}
        </div>
      </fieldset>
    </div>
  );
}
