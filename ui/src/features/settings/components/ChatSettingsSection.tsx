import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { TextInput } from "../../../components/ui/TextInput";
import { errorDetails, errorText } from "../../../i18n/errorText";
import { formatNumber } from "../../../i18n/format";
import { problemText } from "../../../i18n/problemText";
import { toIpcError } from "../../../ipc";
import type { IpcError } from "../../../ipc";
import type { Problem } from "../../../ipc/problems";
import { usePreferences } from "../store/preferencesStore";
import type { Preferences } from "../store/preferencesStore";
import { SettingsField } from "./SettingsField";

type NumberField =
  | "maxConcurrentStreams"
  | "requestsPerMinute"
  | "stallTimeoutSecs"
  | "maxReplyKib"
  | "autoResume"
  | "maxToolSteps"
  | "maxAttachmentMib"
  | "maxMessageAttachmentsMib";
const NUMBER_FIELDS: NumberField[] = [
  "maxConcurrentStreams",
  "requestsPerMinute",
  "stallTimeoutSecs",
  "maxReplyKib",
  "autoResume",
  "maxToolSteps",
  "maxAttachmentMib",
  "maxMessageAttachmentsMib",
];

const LABEL = {
  maxConcurrentStreams: "settings.maxConcurrentStreams",
  requestsPerMinute: "settings.requestsPerMinute",
  stallTimeoutSecs: "settings.stallTimeoutSecs",
  maxReplyKib: "settings.maxReplyKib",
  autoResume: "settings.autoResume",
  maxToolSteps: "settings.maxToolSteps",
  maxAttachmentMib: "settings.maxAttachmentMib",
  maxMessageAttachmentsMib: "settings.maxMessageAttachmentsMib",
} as const;

const HINT = {
  maxConcurrentStreams: "settings.maxConcurrentStreamsHint",
  requestsPerMinute: "settings.requestsPerMinuteHint",
  stallTimeoutSecs: "settings.stallTimeoutSecsHint",
  maxReplyKib: "settings.maxReplyKibHint",
  autoResume: "settings.autoResumeHint",
  maxToolSteps: "settings.maxToolStepsHint",
  maxAttachmentMib: "settings.maxAttachmentMibHint",
  maxMessageAttachmentsMib: "settings.maxMessageAttachmentsMibHint",
} as const;

/** Hints for the browser's number input; the core does the real check and says what is wrong. */
const RANGE: Record<NumberField, [number, number]> = {
  maxConcurrentStreams: [1, 32],
  requestsPerMinute: [0, 10_000],
  stallTimeoutSecs: [5, 600],
  maxReplyKib: [16, 65_536],
  autoResume: [0, 5],
  maxToolSteps: [1, 50],
  maxAttachmentMib: [1, 512],
  maxMessageAttachmentsMib: [1, 2048],
};

/** The core's problem with a field of this form (its paths are the settings' keys). */
function problemOf(error: IpcError): { field: NumberField; problem: Problem } | null {
  if (error.code !== "invalid_input") return null;
  for (const problem of error.problems) {
    const field = NUMBER_FIELDS.find((f) => f === problem.path);
    if (field) return { field, problem };
  }
  return null;
}

type Draft = Record<NumberField, string> & { autoTitle: boolean };

function draftOf(value: Preferences): Draft {
  return {
    maxConcurrentStreams: String(value.maxConcurrentStreams),
    requestsPerMinute: String(value.requestsPerMinute),
    stallTimeoutSecs: String(value.stallTimeoutSecs),
    maxReplyKib: String(value.maxReplyKib),
    autoResume: String(value.autoResume),
    maxToolSteps: String(value.maxToolSteps),
    maxAttachmentMib: String(value.maxAttachmentMib),
    maxMessageAttachmentsMib: String(value.maxMessageAttachmentsMib),
    autoTitle: value.autoTitle,
  };
}

/**
 * Concurrency, rate limit, stall timeout, reply size, resuming, tool steps, attachment sizes
 * and titles:
 * saved together.
 */
function ChatSettingsForm({ initial }: { initial: Preferences }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const save = usePreferences((s) => s.save);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [notWhole, setNotWhole] = useState<NumberField | null>(null);

  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };

  const submit = async () => {
    const numbers = {} as Record<NumberField, number>;
    for (const field of NUMBER_FIELDS) {
      const text = draft[field].trim();
      if (!/^\d+$/.test(text)) {
        setNotWhole(field);
        setError(null);
        return;
      }
      numbers[field] = Number(text);
    }
    setNotWhole(null);
    setError(null);
    setSaving(true);
    try {
      const stored = await save({ ...numbers, autoTitle: draft.autoTitle });
      setDraft(draftOf(stored));
      setSaved(true);
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setSaving(false);
    }
  };

  const placed = error ? problemOf(error) : null;
  const rejected = notWhole ?? placed?.field ?? null;
  const errorId = `${id}-error`;
  const details = placed ? problemText(t, placed.problem) : error ? errorDetails(error) : null;

  return (
    <form
      className="settings-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      data-testid="chat-settings-form"
    >
      {NUMBER_FIELDS.map((field) => (
        <SettingsField
          key={field}
          id={`${id}-${field}`}
          label={t(LABEL[field])}
          hint={t(HINT[field], {
            min: formatNumber(RANGE[field][0], i18n.language),
            max: formatNumber(RANGE[field][1], i18n.language),
          })}
        >
          <TextInput
            id={`${id}-${field}`}
            className="settings-field__number"
            type="number"
            inputMode="numeric"
            min={RANGE[field][0]}
            max={RANGE[field][1]}
            step={1}
            value={draft[field]}
            onChange={(event) => edit({ [field]: event.target.value })}
            aria-describedby={`${id}-${field}-hint${rejected === field ? ` ${errorId}` : ""}`}
            aria-invalid={rejected === field || undefined}
            disabled={saving}
            data-testid={`setting-${field}`}
          />
        </SettingsField>
      ))}
      <SettingsField
        id={`${id}-autoTitle`}
        label={t("settings.autoTitle")}
        hint={t("settings.autoTitleHint")}
      >
        <input
          id={`${id}-autoTitle`}
          className="checkbox"
          type="checkbox"
          checked={draft.autoTitle}
          onChange={(event) => edit({ autoTitle: event.target.checked })}
          aria-describedby={`${id}-autoTitle-hint`}
          disabled={saving}
          data-testid="setting-autoTitle"
        />
      </SettingsField>

      {notWhole ? (
        <p className="field-error" id={errorId} role="alert">
          {t("settings.wholeNumber", { field: t(LABEL[notWhole]) })}
        </p>
      ) : null}
      {error ? (
        <Notice
          id={errorId}
          data-testid="settings-error"
          title={
            rejected
              ? t("settings.fieldRejected", { field: t(LABEL[rejected]) })
              : errorText(t, error)
          }
          details={details}
        />
      ) : null}

      <div className="settings-form__actions">
        {saved ? (
          <p className="field-success" role="status" data-testid="settings-saved">
            {t("settings.saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={saving} data-testid="save-settings">
          {saving ? t("settings.saving") : t("settings.save")}
        </Button>
      </div>
    </form>
  );
}

export function ChatSettingsSection() {
  const { t } = useTranslation();
  const value = usePreferences((s) => s.value);
  const status = usePreferences((s) => s.status);
  const loadError = usePreferences((s) => s.loadError);
  const load = usePreferences((s) => s.load);

  // Loaded at start-up; if that failed (or has not happened), try again now.
  useEffect(() => {
    const { status: current } = usePreferences.getState();
    if (current === "idle" || current === "error") void load();
  }, [load]);

  let body;
  if (value) body = <ChatSettingsForm initial={value} />;
  else if (status === "error" && loadError) {
    body = (
      <Notice
        title={t("settings.loadFailed")}
        details={errorText(t, loadError)}
        actions={
          <Button size="sm" onClick={() => void load()}>
            {t("settings.retry")}
          </Button>
        }
      />
    );
  } else body = <p className="field-hint">{t("settings.loading")}</p>;

  return (
    <section className="settings-section" data-testid="chat-settings">
      <h3 className="settings-section__title">{t("settings.chatHeading")}</h3>
      {body}
    </section>
  );
}
