import type { ReactNode } from "react";

/** A labelled control with its hint and its error (if any) below it. */
export function FormField({
  htmlFor,
  label,
  hint,
  error,
  children,
}: {
  /** The control's id. */
  htmlFor: string;
  label: string;
  hint?: string;
  error?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="form-field">
      <label className="field-label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
      {hint ? <p className="field-hint">{hint}</p> : null}
      {error}
    </div>
  );
}
