/**
 * The data commands of the dev fake core: export, import (with progress), logs,
 * diagnostics and the file dialogs. `?dialogCancel` makes every file dialog cancel;
 * `?importFail` makes imports fail with a list of problems, as the core reports them.
 */
import type { Channel } from "@tauri-apps/api/core";
import { channelSender, rejectWith as fail, type CoreHandlers } from "./typedCore";
import { problem } from "./fakeProblems";
import type { Conversation, ImportKind, ImportEvent, ImportSummary, Message } from "../bindings";

const HOME = "/home/you";
const LOG_DIR = `${HOME}/.local/share/app.confab.desktop/logs`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createData(
  conversations: Conversation[],
  messages: Map<string, Message[]>,
  params: URLSearchParams,
) {
  const importProblems = [
    problem("conversations[3].messages[12].role", "malformed", {
      detail: "unknown variant `robot`, expected one of `system`, `user`, `assistant`, `tool`",
    }),
    problem("conversations[7].pinned", "malformed", {
      detail: 'invalid type: string "yes", expected a boolean',
    }),
  ];

  async function runImport(
    kind: ImportKind,
    channel: Channel<ImportEvent>,
  ): Promise<ImportSummary> {
    const emit = channelSender(channel).send;
    const total = 48_211_000;
    const steps = 12;
    for (let step = 0; step <= steps; step++) {
      emit({
        event: "progress",
        data: {
          done: Math.round((total * step) / steps),
          total,
          conversations: step * 35,
          messages: step * 612,
        },
      });
      await sleep(120);
    }
    if (params.has("importFail")) {
      const lines = importProblems.map((p) => `${p.path}: ${p.params.detail ?? ""}`);
      return fail("invalid_input", lines.join("\n"), importProblems);
    }
    emit({ event: "saving" });
    await sleep(300);
    const now = Date.now();
    conversations.unshift({
      id: `imported-${now}`,
      agentId: null,
      title: kind === "chatgpt" ? "Sourdough starter" : "Imported conversation",
      status: "active",
      pinned: false,
      toolsEnabled: true,
      createdAt: now - 86_400_000,
      updatedAt: now - 86_400_000,
    });
    return {
      conversations: 420,
      messages: 7_344,
      notes:
        kind === "chatgpt"
          ? [
              { kind: "images_skipped", count: 12 },
              { kind: "non_text_skipped", count: 31 },
              { kind: "empty_skipped", count: 2 },
            ]
          : [{ kind: "already_present", count: 3 }],
    };
  }

  return {
    chooseSavePath: (_kind, fileName) =>
      params.has("dialogCancel") ? null : `${HOME}/Documents/${fileName}`,
    chooseOpenPath: () =>
      params.has("dialogCancel") ? null : `${HOME}/Downloads/conversations.json`,
    exportConversations: (ids, _format, path) => {
      const chosen = ids ? conversations.filter((c) => ids.includes(c.id)) : conversations;
      const count = chosen.reduce((sum, c) => sum + (messages.get(c.id)?.length ?? 0), 0);
      return { path, conversations: chosen.length, messages: count, bytes: count * 420 };
    },
    importConversations: (_path, kind, channel) => runImport(kind, channel),
    getLogInfo: () => ({
      dir: LOG_DIR,
      currentFile: `${LOG_DIR}/confab.2025-03-01.log`,
      currentSizeBytes: 48_310,
      totalSizeBytes: 612_004,
    }),
    openLogFolder: () => null,
    exportDiagnostics: () => 84_120,
  } satisfies Partial<CoreHandlers>;
}
