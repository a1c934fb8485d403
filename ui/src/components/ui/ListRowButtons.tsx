import type { ReactNode } from "react";
import { Button } from "./Button";
import { IconButton } from "./IconButton";
import { CloseIcon, PlusIcon } from "./icons";

/** The quiet "+ Add …" under a list the user edits row by row. */
export function AddRowButton({
  onClick,
  testId,
  children,
}: {
  onClick: () => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Button size="sm" variant="ghost" icon={<PlusIcon />} onClick={onClick} data-testid={testId}>
      {children}
    </Button>
  );
}

/** The × that takes one row out of such a list. */
export function RemoveRowButton({
  label,
  onClick,
  testId,
}: {
  label: string;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <IconButton
      label={label}
      icon={<CloseIcon />}
      size="sm"
      onClick={onClick}
      data-testid={testId}
    />
  );
}
