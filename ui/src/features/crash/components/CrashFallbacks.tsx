import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { ErrorBoundary, errorDetail } from "../../../components/ui/ErrorBoundary";
import { Notice } from "../../../components/ui/Notice";
import { CheckIcon, CopyIcon, RegenerateIcon } from "../../../components/ui/icons";
import { useCopied } from "../../chat/hooks/useCopied";

/**
 * What shows where a part of the window failed to render: said plainly, with a way on
 * (draw it again, copy what went wrong for a report, and for the whole window: reload).
 */

function CopyDetailButton({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const [copied, copy] = useCopied();
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={copied ? <CheckIcon /> : <CopyIcon />}
      onClick={() => copy(errorDetail(error))}
      data-testid="crash-copy"
    >
      {copied ? t("crash.copied") : t("crash.copyDetail")}
    </Button>
  );
}

function RetryButton({ retry }: { retry: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="sm" icon={<RegenerateIcon />} onClick={retry} data-testid="crash-retry">
      {t("crash.retry")}
    </Button>
  );
}

/** The whole window: everything else is gone, so reloading is offered first. */
function AppFallback({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="crash-screen" data-testid="app-crash">
      <Notice
        className="crash-screen__notice"
        title={t("crash.appTitle")}
        details={t("crash.appHint")}
        actions={
          <>
            <Button size="sm" variant="primary" onClick={() => window.location.reload()}>
              {t("crash.reload")}
            </Button>
            <RetryButton retry={retry} />
            <CopyDetailButton error={error} />
          </>
        }
      />
    </div>
  );
}

export function AppBoundary({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary fallback={(error, retry) => <AppFallback error={error} retry={retry} />}>
      {children}
    </ErrorBoundary>
  );
}

/**
 * One message (or the reply being written): the rest of the transcript stays. A new
 * version of the message (`resetKey`) is tried again by itself.
 */
export function MessageBoundary({
  children,
  resetKey,
}: {
  children: ReactNode;
  resetKey?: unknown;
}) {
  return (
    <ErrorBoundary
      resetKey={resetKey}
      fallback={(error, retry) => <PartFallback error={error} retry={retry} kind="message" />}
    >
      {children}
    </ErrorBoundary>
  );
}

/** One row of the sidebar. */
export function RowBoundary({ children, resetKey }: { children: ReactNode; resetKey?: unknown }) {
  return (
    <ErrorBoundary
      resetKey={resetKey}
      fallback={(error, retry) => <PartFallback error={error} retry={retry} kind="row" />}
    >
      {children}
    </ErrorBoundary>
  );
}

function PartFallback({
  error,
  retry,
  kind,
}: {
  error: unknown;
  retry: () => void;
  kind: "message" | "row";
}) {
  const { t } = useTranslation();
  if (kind === "row") {
    return (
      <div className="crash-row" role="alert" data-testid="row-crash">
        <span className="crash-row__text">{t("crash.rowTitle")}</span>
        <RetryButton retry={retry} />
      </div>
    );
  }
  return (
    <Notice
      className="crash-message"
      data-testid="message-crash"
      title={t("crash.messageTitle")}
      details={t("crash.messageHint")}
      actions={
        <>
          <RetryButton retry={retry} />
          <CopyDetailButton error={error} />
        </>
      }
    />
  );
}
