import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button, type ButtonProps } from "../../../components/ui/Button";
import { Notice } from "../../../components/ui/Notice";
import { errorDetails, errorText } from "../../../i18n/errorText";
import type { Task } from "../hooks/useTask";

/**
 * A section action: disabled while any action of the section runs, and showing
 * `busyLabel` while its own action (`name`) runs.
 */
export function TaskButton({
  task,
  name,
  label,
  busyLabel,
  testId,
  ...rest
}: {
  task: Task;
  name?: string;
  label: string;
  busyLabel?: string;
  testId: string;
} & Pick<ButtonProps, "onClick" | "variant">) {
  return (
    <Button {...rest} disabled={task.busy !== null} data-testid={testId}>
      {busyLabel !== undefined && task.busy === name ? busyLabel : label}
    </Button>
  );
}

/** What the section's last action left: a status line on success, a notice on failure. */
export function TaskOutcome({
  task,
  status,
  statusTestId,
}: {
  task: Task;
  status: ReactNode;
  statusTestId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {status ? (
        <p className="data-status" role="status" data-testid={statusTestId}>
          {status}
        </p>
      ) : null}
      {task.error ? (
        <Notice
          title={errorText(t, task.error)}
          details={errorDetails(task.error)}
          dismissLabel={t("data.dismiss")}
          onDismiss={task.clearError}
        />
      ) : null}
    </>
  );
}
