import { useCallback, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ConfirmDelete } from "../../../components/ui/ConfirmDelete";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { TextArea } from "../../../components/ui/TextArea";
import { TextInput } from "../../../components/ui/TextInput";
import { PlusIcon } from "../../../components/ui/icons";
import { errorDetails, errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { ContextTemplate, IpcError } from "../../../ipc";
import { problemText } from "../../../i18n/problemText";
import { checkTemplate, placeTemplateError, type TemplateErrors } from "./templateErrors";

interface Form {
  name: string;
  content: string;
  isDefault: boolean;
}

const EMPTY: Form = { name: "", content: "", isDefault: false };

const formOf = (template: ContextTemplate | undefined): Form =>
  template
    ? { name: template.name, content: template.content, isDefault: template.isDefault }
    : EMPTY;

/**
 * Context templates: named system prompts a conversation's context can start from. List,
 * create, edit, delete, and choose the one default (at most one). `onChanged` gets the list
 * after every change.
 */
export function TemplatesDialog({
  open,
  onOpenChange,
  onChanged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onChanged: (templates: ContextTemplate[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("templates.title")}
      description={t("templates.description")}
      closeLabel={t("templates.close")}
      size="lg"
    >
      {open ? <TemplatesContent onChanged={onChanged} /> : null}
    </Dialog>
  );
}

function TemplatesContent({ onChanged }: { onChanged: (templates: ContextTemplate[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [items, setItems] = useState<ContextTemplate[] | null>(null);
  const [selected, setSelected] = useState<string>("new");
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<TemplateErrors>({});
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const select = useCallback((target: string, list: ContextTemplate[]) => {
    setSelected(target);
    setForm(formOf(list.find((tpl) => tpl.id === target)));
    setErrors({});
    setSaved(false);
    setConfirmDelete(false);
  }, []);

  const reload = useCallback(
    async (target?: string) => {
      const list = await ipc.listTemplates();
      setItems(list);
      onChanged(list);
      select(target ?? list[0]?.id ?? "new", list);
    },
    [onChanged, select],
  );

  useEffect(() => {
    ipc
      .listTemplates()
      .then((list) => {
        setItems(list);
        select(list[0]?.id ?? "new", list);
      })
      .catch((e: unknown) => setFailure(ipc.toIpcError(e)));
  }, [select]);

  const current = items?.find((tpl) => tpl.id === selected);

  const run = async (action: () => Promise<void>) => {
    setPending(true);
    setFailure(null);
    try {
      await action();
    } catch (e) {
      const error = ipc.toIpcError(e);
      const placed = placeTemplateError(error);
      if (placed) setErrors(placed);
      else setFailure(error);
    } finally {
      setPending(false);
    }
  };

  const save = () => {
    const found = checkTemplate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      const input = { name: form.name, content: form.content };
      const stored = current
        ? await ipc.updateTemplate(current.id, input)
        : await ipc.createTemplate(input);
      if (form.isDefault !== stored.isDefault) {
        await ipc.setDefaultTemplate(form.isDefault ? stored.id : null);
      }
      await reload(stored.id);
      setSaved(true);
    });
  };

  const fieldError = (field: keyof TemplateErrors) => {
    const error = errors[field];
    if (!error) return null;
    return (
      <p
        className="field-error"
        id={`${id}-${field}-error`}
        data-testid={`template-error-${field}`}
      >
        {"problem" in error ? problemText(t, error.problem) : t(error.key)}
      </p>
    );
  };
  const invalid = (field: keyof TemplateErrors) =>
    errors[field]
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(false);
  };

  return (
    <div className="providers templates-page" data-testid="templates-dialog">
      <div className="providers__list">
        {items && items.length === 0 ? <p className="field-hint">{t("templates.none")}</p> : null}
        <ul aria-label={t("templates.title")}>
          {(items ?? []).map((tpl) => (
            <li key={tpl.id}>
              <button
                type="button"
                className="providers__item"
                aria-current={tpl.id === selected ? "true" : undefined}
                onClick={() => select(tpl.id, items ?? [])}
                data-testid="template-item"
              >
                <span className="providers__item-name">{tpl.name}</span>
                {tpl.isDefault ? (
                  <span className="providers__item-meta">{t("templates.isDefault")}</span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div className="providers__add">
          <Button
            size="sm"
            icon={<PlusIcon />}
            onClick={() => select("new", items ?? [])}
            data-testid="template-new"
          >
            {t("templates.new")}
          </Button>
        </div>
      </div>
      <form
        className="providers__detail"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <h3 className="providers__detail-title">{current ? current.name : t("templates.new")}</h3>
        {failure ? (
          <Notice
            title={errorText(t, failure)}
            details={errorDetails(failure) ?? undefined}
            data-testid="template-failure"
          />
        ) : null}
        <div className="form-field">
          <label className="field-label" htmlFor={`${id}-name`}>
            {t("templates.name")}
          </label>
          <TextInput
            id={`${id}-name`}
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="template-name"
            {...invalid("name")}
          />
          {fieldError("name")}
        </div>
        <div className="form-field">
          <label className="field-label" htmlFor={`${id}-content`}>
            {t("templates.content")}
          </label>
          <TextArea
            id={`${id}-content`}
            value={form.content}
            rows={8}
            maxHeight={360}
            placeholder={t("templates.contentHint")}
            onChange={(e) => set({ content: e.target.value })}
            data-testid="template-content"
            {...invalid("content")}
          />
          {fieldError("content")}
        </div>
        <label className="checkbox-row">
          <input
            className="checkbox"
            type="checkbox"
            checked={form.isDefault}
            onChange={(e) => set({ isDefault: e.target.checked })}
            data-testid="template-default"
          />
          <span className="checkbox-row__text">
            {t("templates.makeDefault")}
            <span className="field-hint">{t("templates.defaultHint")}</span>
          </span>
        </label>
        <div className="agent-editor__actions">
          {current ? (
            <ConfirmDelete
              confirming={confirmDelete}
              onConfirmingChange={setConfirmDelete}
              labels={{
                question: t("templates.deleteConfirm"),
                delete: t("templates.delete"),
                cancel: t("templates.cancel"),
              }}
              disabled={pending}
              onConfirm={() =>
                void run(async () => {
                  await ipc.deleteTemplate(current.id);
                  await reload();
                })
              }
              testId="template-delete"
            />
          ) : null}
          <span className="agent-editor__spacer" />
          {saved ? (
            <p className="field-success" role="status">
              {t("templates.saved")}
            </p>
          ) : null}
          <Button type="submit" variant="primary" disabled={pending} data-testid="template-save">
            {t("templates.save")}
          </Button>
        </div>
      </form>
    </div>
  );
}
