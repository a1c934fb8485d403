import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { SearchIcon } from "../../../components/ui/icons";
import { useSearchStore } from "../store/searchStore";

/** Ctrl+K (Cmd+K on macOS) focuses the box from anywhere in the window. */
function isSearchShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k";
}

export interface SearchBoxProps {
  /** ArrowDown / ArrowUp move through the results, Enter opens the chosen one. */
  onNavigate: (key: "ArrowDown" | "ArrowUp" | "Enter") => void;
}

export function SearchBox({ onNavigate }: SearchBoxProps) {
  const { t } = useTranslation();
  const query = useSearchStore((s) => s.query);
  const { setQuery, clear } = useSearchStore.getState();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <div className="search-box" role="search">
      <SearchIcon />
      <input
        ref={input}
        type="search"
        className="search-box__input"
        value={query}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        title={t("search.shortcut")}
        aria-controls="search-results"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === "Escape") {
            // Kept from the window's Esc handler, which would stop a streaming reply.
            e.preventDefault();
            e.stopPropagation();
            if (query === "") input.current?.blur();
            clear();
          } else if (e.key === "ArrowDown" || e.key === "ArrowUp" || e.key === "Enter") {
            e.preventDefault();
            onNavigate(e.key);
          }
        }}
        data-testid="search-input"
      />
    </div>
  );
}
