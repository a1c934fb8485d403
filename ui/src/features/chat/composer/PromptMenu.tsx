/**
 * The `/` menu: the conversation's MCP prompts matching what follows the slash. The input
 * keeps the focus and drives the menu with the keyboard (`usePromptMenu`); the menu only
 * shows the choices, and takes a click.
 */
import { useTranslation } from "react-i18next";
import { Spinner } from "../../../components/ui/Spinner";
import { errorText } from "../../../i18n/errorText";
import type { McpPrompt } from "../../../ipc";
import type { Loaded } from "./useMcpCatalog";

/** What follows a `/` that starts the draft, while it is one word; null otherwise. */
export function slashQuery(text: string): string | null {
  if (!text.startsWith("/")) return null;
  const query = text.slice(1);
  return /\s/.test(query) ? null : query;
}

/** The prompts whose name holds the query, those starting with it first. */
export function matchPrompts(prompts: McpPrompt[], query: string): McpPrompt[] {
  const q = query.toLowerCase();
  const starts = (p: McpPrompt) => p.name.toLowerCase().startsWith(q);
  return prompts
    .filter((p) => p.name.toLowerCase().includes(q))
    .sort((a, b) => Number(starts(b)) - Number(starts(a)));
}

export const promptOptionId = (index: number) => `composer-prompt-${index}`;
export const PROMPT_MENU_ID = "composer-prompts";

export function PromptMenu({
  prompts,
  query,
  matches,
  active,
  onChoose,
  onHover,
}: {
  prompts: Loaded<McpPrompt>;
  query: string;
  matches: McpPrompt[];
  active: number;
  onChoose: (prompt: McpPrompt) => void;
  onHover: (index: number) => void;
}) {
  const { t } = useTranslation();
  let state = null;
  if (prompts.status === "idle" || prompts.status === "loading") {
    state = (
      <>
        <Spinner /> {t("chat.prompts.loading")}
      </>
    );
  } else if (prompts.status === "failed") {
    state = t("chat.prompts.failed", { reason: errorText(t, prompts.error) });
  } else if (prompts.items.length === 0) {
    state = t("chat.prompts.none");
  } else if (matches.length === 0) {
    state = t("chat.prompts.noMatch", { query });
  }
  return (
    <div className="composer-popup" data-testid="prompt-menu">
      <div className="composer-popup__head">
        <span>{t("chat.prompts.label")}</span>
        <span className="composer-popup__keys">{t("chat.prompts.keys")}</span>
      </div>
      {state !== null ? (
        <p
          className={`composer-popup__state${prompts.status === "failed" ? " composer-popup__state--error" : ""}`}
          role={prompts.status === "failed" ? "alert" : "status"}
          data-testid="prompt-menu-state"
        >
          {state}
        </p>
      ) : (
        <ul
          className="composer-popup__list"
          role="listbox"
          id={PROMPT_MENU_ID}
          aria-label={t("chat.prompts.label")}
        >
          {matches.map((prompt, index) => (
            <li
              key={`${prompt.serverId}/${prompt.name}`}
              id={promptOptionId(index)}
              role="option"
              aria-selected={index === active}
              className="composer-popup__item"
              // The input keeps the focus: a click must not take it.
              onMouseDown={(event) => event.preventDefault()}
              onMouseMove={() => index !== active && onHover(index)}
              onClick={() => onChoose(prompt)}
              data-testid="prompt-option"
            >
              <span className="composer-popup__line">
                <span className="composer-popup__name">/{prompt.name}</span>
                <span className="composer-popup__server">{prompt.serverName}</span>
              </span>
              {prompt.description ? (
                <span className="composer-popup__desc">{prompt.description}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
