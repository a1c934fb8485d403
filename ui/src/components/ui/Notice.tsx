import type { HTMLAttributes, ReactNode } from "react";
import { IconButton } from "./IconButton";
import { AlertIcon, CloseIcon } from "./icons";

export interface NoticeProps extends Omit<HTMLAttributes<HTMLDivElement>, "title"> {
  tone?: "error" | "info";
  title: ReactNode;
  details?: ReactNode;
  actions?: ReactNode;
  /** Shows a close button with this label. */
  dismissLabel?: string;
  onDismiss?: () => void;
}

/** A message about something that went wrong (role=alert) or needs attention. */
export function Notice({
  tone = "error",
  title,
  details,
  actions,
  dismissLabel,
  onDismiss,
  className,
  ...rest
}: NoticeProps) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={["notice", `notice--${tone}`, className].filter(Boolean).join(" ")}
      {...rest}
    >
      <span className="notice__icon">
        <AlertIcon />
      </span>
      <div className="notice__content">
        <p className="notice__title">{title}</p>
        {details ? <p className="notice__details">{details}</p> : null}
        {actions ? <div className="notice__actions">{actions}</div> : null}
      </div>
      {dismissLabel && onDismiss ? (
        <IconButton
          className="notice__dismiss"
          label={dismissLabel}
          icon={<CloseIcon />}
          size="sm"
          onClick={onDismiss}
        />
      ) : null}
    </div>
  );
}
