import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { Notice } from "../../../components/ui/Notice";
import { Spinner } from "../../../components/ui/Spinner";
import { KeyIcon, PlusIcon } from "../../../components/ui/icons";
import { errorText } from "../../../i18n/errorText";
import * as ipc from "../../../ipc";
import type { IpcError, Provider, ProviderPreset } from "../../../ipc";
import { useProvidersPage } from "../store/providersPageStore";
import { ConnectionTest } from "./ConnectionTest";
import { ProviderForm } from "./ProviderForm";
import { ProviderKeySection } from "./ProviderKeySection";
import { draftFrom } from "./providerDraft";

/** What the right-hand side shows: a stored provider, or a new one (from a preset or blank). */
type Selection = { kind: "provider"; id: string } | { kind: "new"; preset: ProviderPreset | null };

function DeleteProvider({ provider, onDeleted }: { provider: Provider; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await ipc.deleteProvider(provider.id);
      setOpen(false);
      onDeleted();
    } catch (e) {
      setError(ipc.toIpcError(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <Button
        variant="ghost"
        className="btn--danger-text"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        data-testid="provider-delete"
      >
        {t("providers.delete")}
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={t("providers.deleteTitle")}
        description={t("providers.deleteBody", { name: provider.name })}
        size="sm"
        role="alertdialog"
        footer={
          <>
            <Button onClick={() => setOpen(false)} disabled={pending}>
              {t("conversations.cancel")}
            </Button>
            <Button
              variant="danger"
              onClick={() => void remove()}
              disabled={pending}
              data-testid="provider-delete-confirm"
            >
              {t("providers.deleteConfirm")}
            </Button>
          </>
        }
      >
        {/* `invalid_input` here means agents still use it; the core's message names them. */}
        {error ? (
          <Notice
            title={error.code === "invalid_input" ? error.message : errorText(t, error)}
            details={error.code === "invalid_input" ? undefined : error.message || undefined}
            data-testid="provider-delete-error"
          />
        ) : null}
      </Dialog>
    </>
  );
}

function ProvidersContent() {
  const { t } = useTranslation();
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [presets, setPresets] = useState<ProviderPreset[]>([]);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);

  const apply = useCallback((list: Provider[], select?: Selection) => {
    setProviders(list);
    setLoadError(null);
    setSelection((current) => {
      if (select) return select;
      if (current?.kind === "provider" && list.some((p) => p.id === current.id)) return current;
      if (current?.kind === "new") return current;
      return list[0] ? { kind: "provider", id: list[0].id } : { kind: "new", preset: null };
    });
  }, []);
  const fail = useCallback((e: unknown) => setLoadError(ipc.toIpcError(e)), []);

  const load = (select?: Selection) =>
    ipc.listProviders().then((list) => apply(list, select), fail);

  useEffect(() => {
    ipc.listProviders().then((list) => apply(list), fail);
    ipc.listProviderPresets().then(setPresets, () => setPresets([]));
  }, [apply, fail]);

  if (loadError) {
    return (
      <Notice
        title={t("providers.loadFailed")}
        details={errorText(t, loadError)}
        actions={
          <Button size="sm" onClick={() => void load()}>
            {t("settings.retry")}
          </Button>
        }
      />
    );
  }
  if (providers === null) return <Spinner label={t("settings.loading")} />;

  const current =
    selection?.kind === "provider" ? (providers.find((p) => p.id === selection.id) ?? null) : null;
  const formKey =
    selection?.kind === "provider" ? selection.id : `new-${selection?.preset?.id ?? "blank"}`;

  return (
    <div className="providers">
      <div className="providers__list">
        {providers.length === 0 ? (
          <p className="providers__none" data-testid="providers-none">
            {t("providers.none")}
          </p>
        ) : null}
        <ul aria-label={t("providers.listLabel")}>
          {providers.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="providers__item"
                aria-current={current?.id === p.id ? "true" : undefined}
                onClick={() => setSelection({ kind: "provider", id: p.id })}
                data-testid="provider-item"
              >
                <span className="providers__item-name">{p.name}</span>
                <span className="providers__item-meta mono">{p.defaultModel}</span>
                {p.keySet ? (
                  <span className="providers__item-key" title={t("providers.keySet")}>
                    <KeyIcon />
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div className="providers__add">
          <label className="field-label" htmlFor="provider-preset">
            {t("providers.add")}
          </label>
          <select
            id="provider-preset"
            className="select"
            value=""
            onChange={(e) => {
              const preset = presets.find((p) => p.id === e.target.value) ?? null;
              setSelection({ kind: "new", preset });
            }}
            data-testid="provider-preset"
          >
            <option value="" disabled>
              {t("providers.fromPreset")}
            </option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <Button
            size="sm"
            variant="ghost"
            icon={<PlusIcon />}
            onClick={() => setSelection({ kind: "new", preset: null })}
            data-testid="provider-add-blank"
          >
            {t("providers.addBlank")}
          </Button>
        </div>
      </div>
      <div className="providers__detail">
        {selection?.kind === "new" ? (
          <h3 className="providers__detail-title">
            {selection.preset
              ? t("providers.newFrom", { name: selection.preset.name })
              : t("providers.newBlank")}
          </h3>
        ) : null}
        {selection?.kind === "new" && selection.preset?.needsKey ? (
          <p className="field-hint">{t("providers.keyAfterCreate")}</p>
        ) : null}
        <ProviderForm
          key={formKey}
          provider={current}
          initial={draftFrom(
            current,
            selection?.kind === "new" ? (selection.preset ?? undefined) : undefined,
          )}
          onSaved={(p) => void load({ kind: "provider", id: p.id })}
        />
        {current ? (
          <>
            <ProviderKeySection
              key={`key-${current.id}`}
              providerId={current.id}
              onChanged={() => void load()}
            />
            <ConnectionTest key={`test-${current.id}`} providerId={current.id} disabled={false} />
            <section className="settings-section providers__danger">
              <DeleteProvider
                provider={current}
                onDeleted={() => {
                  const next = providers.find((p) => p.id !== current.id);
                  void load(
                    next ? { kind: "provider", id: next.id } : { kind: "new", preset: null },
                  );
                }}
              />
            </section>
          </>
        ) : null}
      </div>
    </div>
  );
}

export function ProvidersDialog() {
  const { t } = useTranslation();
  const open = useProvidersPage((s) => s.open);
  const setOpen = useProvidersPage((s) => s.setOpen);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("providers.title")}
      description={t("providers.description")}
      closeLabel={t("providers.close")}
      size="lg"
    >
      {open ? <ProvidersContent /> : null}
    </Dialog>
  );
}
