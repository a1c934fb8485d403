import type { ButtonHTMLAttributes, ReactNode } from "react";

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "children"> {
  /** Spoken by screen readers and shown as the tooltip; an icon-only control needs one. */
  label: string;
  icon: ReactNode;
  variant?: "ghost" | "primary" | "danger";
  size?: "sm" | "md";
}

export function IconButton({
  label,
  icon,
  variant = "ghost",
  size = "md",
  className,
  type = "button",
  ...rest
}: IconButtonProps) {
  const classes = ["icon-btn", `icon-btn--${variant}`, `icon-btn--${size}`, className]
    .filter(Boolean)
    .join(" ");
  return (
    <button type={type} className={classes} aria-label={label} title={label} {...rest}>
      {icon}
    </button>
  );
}
