import type { InputHTMLAttributes, Ref } from "react";

export interface TextInputProps extends InputHTMLAttributes<HTMLInputElement> {
  ref?: Ref<HTMLInputElement>;
}

export function TextInput({ className, type = "text", ref, ...rest }: TextInputProps) {
  return (
    <input
      ref={ref}
      type={type}
      className={["input", className].filter(Boolean).join(" ")}
      {...rest}
    />
  );
}
