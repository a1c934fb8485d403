import { useLayoutEffect, useRef } from "react";
import type { Ref, TextareaHTMLAttributes } from "react";

export interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  /** Grow with the content up to this height in pixels, then scroll. */
  maxHeight?: number;
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextArea({ maxHeight = 240, className, value, ref, ...rest }: TextAreaProps) {
  const inner = useRef<HTMLTextAreaElement | null>(null);

  useLayoutEffect(() => {
    const el = inner.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
    el.style.overflowY = el.scrollHeight > maxHeight ? "auto" : "hidden";
  }, [value, maxHeight]);

  const setRef = (el: HTMLTextAreaElement | null) => {
    inner.current = el;
    if (typeof ref === "function") ref(el);
    else if (ref) ref.current = el;
  };

  return (
    <textarea
      ref={setRef}
      className={["textarea", className].filter(Boolean).join(" ")}
      value={value}
      {...rest}
    />
  );
}
