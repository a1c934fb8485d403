import * as RadixDialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";
import { IconButton } from "./IconButton";
import { CloseIcon } from "./icons";

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  /** Label of the close button in the corner; omit it for dialogs that must be answered. */
  closeLabel?: string;
  /**
   * `fit`: as large as its content (an image), within the window; `wide`: as wide as `lg`,
   * as tall as its content (a text to read).
   */
  size?: "sm" | "md" | "lg" | "wide" | "fit";
  /** `drawer`: a full-height panel along the right edge instead of a centred box. */
  variant?: "center" | "drawer";
  /** `alertdialog` for confirmations that interrupt the person. */
  role?: "dialog" | "alertdialog";
  children: ReactNode;
  footer?: ReactNode;
}

/** Modal dialog: focus is trapped inside, Esc and the overlay close it, focus returns on close. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  closeLabel,
  size = "md",
  variant = "center",
  role = "dialog",
  children,
  footer,
}: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog__overlay" />
        <RadixDialog.Content
          className={`dialog dialog--${size}${variant === "drawer" ? " dialog--drawer" : ""}`}
          role={role}
          onOpenAutoFocus={(event) => {
            // Focus the field marked data-autofocus rather than the first button.
            const target = (event.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>(
              "[data-autofocus]",
            );
            if (target) {
              event.preventDefault();
              target.focus();
            }
          }}
          // Radix warns unless a description exists or aria-describedby is explicitly unset.
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <header className="dialog__header">
            <div>
              <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description className="dialog__description">
                  {description}
                </RadixDialog.Description>
              ) : null}
            </div>
            {closeLabel ? (
              <RadixDialog.Close asChild>
                <IconButton label={closeLabel} icon={<CloseIcon />} size="sm" />
              </RadixDialog.Close>
            ) : null}
          </header>
          <div className="dialog__body" data-scroller="">
            {children}
          </div>
          {footer ? <footer className="dialog__footer">{footer}</footer> : null}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
