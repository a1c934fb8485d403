/**
 * The chosen prompt above the input: one field per argument (the required ones checked
 * before the server is asked), then its text goes into the composer. A prompt without
 * arguments shows here only while its text is on its way, or why it did not come.
 */
import { useEffect, useId, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { IconButton } from "../../../components/ui/IconButton";
import { Spinner } from "../../../components/ui/Spinner";
import { TextInput } from "../../../components/ui/TextInput";
import { CloseIcon } from "../../../components/ui/icons";
import { errorDetails, errorText } from "../../../i18n/errorText";
import type { IpcError, McpPrompt } from "../../../ipc";

export function PromptForm({
  prompt,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  prompt: McpPrompt;
  busy: boolean;
  error: IpcError | null;
  /** The values given, empty optional ones left out. */
  onSubmit: (values: Record<string, string>) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState(false);
  const fields = useRef<(HTMLInputElement | null)[]>([]);

  useEffect(() => {
    fields.current[0]?.focus();
  }, []);

  const args = prompt.arguments;
  const missing = (name: string) =>
    args.some((a) => a.name === name && a.required) && (values[name] ?? "").trim() === "";

  const submit = () => {
    if (busy) return;
    setChecked(true);
    const first = args.findIndex((a) => missing(a.name));
    if (first >= 0) {
      fields.current[first]?.focus();
      return;
    }
    onSubmit(Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== "")));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <div
      className="prompt-form"
      role="group"
      aria-labelledby={`${id}-title`}
      aria-busy={busy}
      onKeyDown={onKeyDown}
      data-testid="prompt-form"
    >
      <div className="prompt-form__head">
        <span className="prompt-form__title" id={`${id}-title`}>
          /{prompt.name}
        </span>
        <span className="prompt-form__server">{prompt.serverName}</span>
        <IconButton
          size="sm"
          className="prompt-form__close"
          label={t("chat.prompts.cancel")}
          icon={<CloseIcon />}
          onClick={onCancel}
        />
      </div>
      {prompt.description ? <p className="prompt-form__desc">{prompt.description}</p> : null}
      {args.length > 0 ? (
        <div className="prompt-form__fields">
          {args.map((arg, index) => {
            const invalid = checked && missing(arg.name);
            const hint = `${id}-hint-${index}`;
            const problem = `${id}-problem-${index}`;
            return (
              <div className="prompt-form__field" key={arg.name}>
                <label className="prompt-form__label" htmlFor={`${id}-field-${index}`}>
                  {arg.name}{" "}
                  {arg.required ? (
                    <span className="prompt-form__required">{t("chat.prompts.required")}</span>
                  ) : null}
                </label>
                <TextInput
                  id={`${id}-field-${index}`}
                  ref={(el) => {
                    fields.current[index] = el;
                  }}
                  value={values[arg.name] ?? ""}
                  onChange={(event) => setValues((v) => ({ ...v, [arg.name]: event.target.value }))}
                  aria-required={arg.required}
                  aria-invalid={invalid}
                  aria-describedby={
                    [invalid ? problem : null, arg.description ? hint : null]
                      .filter(Boolean)
                      .join(" ") || undefined
                  }
                  data-testid="prompt-argument"
                />
                {invalid ? (
                  <span className="prompt-form__problem" id={problem} data-testid="prompt-missing">
                    {t("chat.prompts.missing", { name: arg.name })}
                  </span>
                ) : null}
                {arg.description ? (
                  <span className="prompt-form__hint" id={hint}>
                    {arg.description}
                  </span>
                ) : null}
              </div>
            );
          })}
        </div>
      ) : null}
      {error ? (
        <div className="prompt-form__error" role="alert" data-testid="prompt-error">
          <p>{t("chat.prompts.insertFailed", { reason: errorText(t, error) })}</p>
          {errorDetails(error) ? (
            <p className="prompt-form__detail">{errorDetails(error)}</p>
          ) : null}
        </div>
      ) : null}
      <div className="prompt-form__actions">
        {busy ? (
          <span className="prompt-form__busy">
            <Spinner /> {t("chat.prompts.inserting")}
          </span>
        ) : null}
        <Button size="sm" variant="ghost" onClick={onCancel}>
          {t("chat.prompts.cancel")}
        </Button>
        <Button
          size="sm"
          variant="primary"
          onClick={submit}
          disabled={busy}
          data-testid="prompt-insert"
        >
          {args.length === 0 && error ? t("chat.prompts.retry") : t("chat.prompts.insert")}
        </Button>
      </div>
    </div>
  );
}
