import { Button } from "./Button";

/**
 * A quiet delete button that turns into an inline "are you sure?" group. The parent owns
 * `confirming` so it can drop the question when the selection behind it changes.
 */
export function ConfirmDelete({
  confirming,
  onConfirmingChange,
  labels,
  disabled,
  onConfirm,
  testId,
}: {
  confirming: boolean;
  onConfirmingChange: (confirming: boolean) => void;
  /** The question asked, the delete button's text, and the one that takes it back. */
  labels: { question: string; delete: string; cancel: string };
  disabled: boolean;
  onConfirm: () => void;
  /** The first button's test id; the confirming one gets `${testId}-confirm`. */
  testId: string;
}) {
  if (!confirming) {
    return (
      <Button
        variant="ghost"
        className="btn--danger-text"
        onClick={() => onConfirmingChange(true)}
        data-testid={testId}
      >
        {labels.delete}
      </Button>
    );
  }
  return (
    <span className="agent-editor__confirm" role="group">
      <span>{labels.question}</span>
      <Button
        variant="danger"
        size="sm"
        disabled={disabled}
        onClick={onConfirm}
        data-testid={`${testId}-confirm`}
      >
        {labels.delete}
      </Button>
      <Button size="sm" onClick={() => onConfirmingChange(false)}>
        {labels.cancel}
      </Button>
    </span>
  );
}
