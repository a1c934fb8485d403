import { useId, useRef, useState } from "react";
import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { TextInput } from "../../../components/ui/TextInput";

/** Common avatars, a click away; any other emoji (or short text) can be typed. */
export const AVATAR_EMOJI = [
  "🤖",
  "💬",
  "🧠",
  "💡",
  "📚",
  "✍️",
  "📝",
  "🌐",
  "🧑‍💻",
  "🛠️",
  "🔍",
  "📊",
  "🧮",
  "🔬",
  "🧪",
  "🩺",
  "⚖️",
  "💼",
  "📅",
  "🗺️",
  "✈️",
  "🍳",
  "🎨",
  "🎵",
  "📷",
  "🎬",
  "🎮",
  "🎓",
  "🗣️",
  "🤝",
  "🧙",
  "🧘",
  "🐱",
  "🐶",
  "🦊",
  "🐼",
  "🦉",
  "🌱",
  "☕",
  "🚀",
  "⭐",
  "🔥",
  "🌈",
  "❤️",
  "😊",
  "😎",
  "🔒",
  "🏃",
];

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">;

/**
 * The avatar field: a text box for any emoji, and a button opening a grid of common ones.
 * The grid closes on a pick, on the button, or when focus leaves it.
 */
export function EmojiPicker({
  value,
  onChange,
  inputProps,
}: {
  value: string;
  onChange: (value: string) => void;
  inputProps: InputProps & { "data-testid"?: string };
}) {
  const { t } = useTranslation();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  return (
    <div
      className="emoji-picker"
      ref={box}
      onBlur={(e) => {
        if (!box.current?.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <div className="emoji-picker__row">
        <TextInput
          {...inputProps}
          className="agent-editor__avatar"
          value={value}
          maxLength={16}
          placeholder="🤖"
          onChange={(e) => onChange(e.target.value)}
        />
        <button
          type="button"
          className="emoji-picker__toggle"
          aria-expanded={open}
          aria-controls={panelId}
          aria-label={t("emoji.choose")}
          title={t("emoji.choose")}
          onClick={() => setOpen((o) => !o)}
          data-testid="emoji-toggle"
        >
          ▾
        </button>
      </div>
      {open ? (
        <div
          id={panelId}
          className="emoji-picker__panel"
          role="group"
          aria-label={t("emoji.common")}
          data-testid="emoji-panel"
        >
          {AVATAR_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="emoji-picker__option"
              aria-pressed={emoji === value.trim()}
              onClick={() => {
                onChange(emoji);
                setOpen(false);
              }}
              data-testid="emoji-option"
            >
              {emoji}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
