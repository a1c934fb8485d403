import { Button } from "./Button";

/**
 * A quiet delete button that turns into an inline "are you sure?" group. The parent owns
 * `confirming` so it can drop the question when the selection behind it changes.
 */
export function ConfirmDelete({
  confirming,
  onConfirmingChange,
  question,
  deleteLabel,
  cancelLabel,
  disabled,
  onConfirm,
  testId,
}: {
  confirming: boolean;
  onConfirmingChange: (confirming: boolean) => void;
  question: string;
  deleteLabel: string;
  cancelLabel: string;
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
        {deleteLabel}
      </Button>
    );
  }
  return (
    <span className="agent-editor__confirm" role="group">
      <span>{question}</span>
      <Button
        variant="danger"
        size="sm"
        disabled={disabled}
        onClick={onConfirm}
        data-testid={`${testId}-confirm`}
      >
        {deleteLabel}
      </Button>
      <Button size="sm" onClick={() => onConfirmingChange(false)}>
        {cancelLabel}
      </Button>
    </span>
  );
}
