/**
 * The composer's `/` commands: the menu while the draft is a `/word`, driven from the
 * input's keys, then the chosen prompt's form, then its text in place of the `/word`.
 */
import { useState } from "react";
import type { KeyboardEvent, RefObject } from "react";
import * as ipc from "../../../ipc";
import type { IpcError, McpPrompt } from "../../../ipc";
import { matchPrompts, slashQuery } from "./PromptMenu";
import type { useMcpCatalog } from "./useMcpCatalog";

interface Chosen {
  prompt: McpPrompt;
  busy: boolean;
  error: IpcError | null;
}

export function usePromptCommand(
  text: string,
  setText: (update: (current: string) => string) => void,
  catalog: ReturnType<typeof useMcpCatalog>,
  input: RefObject<HTMLTextAreaElement | null>,
) {
  const query = catalog.available ? slashQuery(text) : null;
  // Esc hides the menu for this query; typing on shows it again.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [active, setActive] = useState({ query: "", index: 0 });
  const [chosen, setChosen] = useState<Chosen | null>(null);

  const open = query !== null && query !== dismissed && chosen === null;
  const prompts = catalog.prompts;
  const matches = open && prompts.status === "ready" ? matchPrompts(prompts.items, query) : [];
  const index = active.query === query ? Math.min(active.index, matches.length - 1) : 0;

  const insert = async (prompt: McpPrompt, values: Record<string, string>) => {
    setChosen({ prompt, busy: true, error: null });
    try {
      const promptText = await ipc.mcpPromptText(prompt.serverId, prompt.name, values);
      setChosen(null);
      setText((current) => {
        const word = /^\/\S*/.exec(current)?.[0];
        return word !== undefined ? promptText + current.slice(word.length) : promptText;
      });
      // The text may start with a slash itself: no menu for it.
      setDismissed(slashQuery(promptText));
      input.current?.focus();
    } catch (e) {
      setChosen({ prompt, busy: false, error: ipc.toIpcError(e) });
    }
  };

  const choose = (prompt: McpPrompt) => {
    if (prompt.arguments.length === 0) void insert(prompt, {});
    else setChosen({ prompt, busy: false, error: null });
  };

  const cancel = () => {
    setChosen(null);
    setDismissed(query);
    input.current?.focus();
  };

  /** The input's keys while the menu is open; true when the menu took the key. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step !== 0 && matches.length > 0) {
      const next = (index + step + matches.length) % matches.length;
      setActive({ query, index: next });
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
      const match = matches[index];
      if (match) choose(match);
      // While the prompts are on their way, Enter waits for them rather than send the `/word`.
      else if (prompts.status === "ready" || prompts.status === "failed") return false;
    } else if (event.key === "Escape") {
      setDismissed(query);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    /** The text changed: the first `/` asks for the prompts. */
    onTextChange: (next: string) => {
      if (catalog.available && slashQuery(next) !== null) catalog.loadPrompts();
    },
    onKeyDown,
    /** The input lost the focus: the menu would only hide the transcript. */
    onBlur: () => {
      if (open) setDismissed(query);
    },
    menu: open
      ? {
          prompts,
          query,
          matches,
          active: index,
          onChoose: choose,
          onHover: (i: number) => setActive({ query, index: i }),
        }
      : null,
    form: chosen
      ? {
          prompt: chosen.prompt,
          busy: chosen.busy,
          error: chosen.error,
          onSubmit: (values: Record<string, string>) => void insert(chosen.prompt, values),
          onCancel: cancel,
        }
      : null,
    /** The message went: a form left open has nothing to fill. */
    reset: () => setChosen(null),
  };
}
