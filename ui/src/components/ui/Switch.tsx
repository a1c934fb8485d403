import type { InputHTMLAttributes } from "react";

export interface SwitchProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "role" | "onChange"
> {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  /** Its accessible name; the switch shows no text of its own. */
  label: string;
}

/** An on/off switch: a checkbox with the switch role, drawn as a track and a knob. */
export function Switch({ checked, onCheckedChange, label, className, ...rest }: SwitchProps) {
  return (
    <input
      type="checkbox"
      role="switch"
      className={["switch", className].filter(Boolean).join(" ")}
      checked={checked}
      aria-checked={checked}
      aria-label={label}
      onChange={(e) => onCheckedChange(e.target.checked)}
      {...rest}
    />
  );
}
