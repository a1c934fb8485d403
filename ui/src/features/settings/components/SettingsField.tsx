import type { ReactNode } from "react";

/**
 * A setting: its label and why on the left, its control (with id `id`) on the right. The
 * hint's id is `${id}-hint`, for the control's `aria-describedby`.
 */
export function SettingsField({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint: string;
  children: ReactNode;
}) {
  return (
    <div className="settings-field">
      <div className="settings-field__text">
        <label className="settings-field__label" htmlFor={id}>
          {label}
        </label>
        <p className="settings-field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      </div>
      <div className="settings-field__control">{children}</div>
    </div>
  );
}
