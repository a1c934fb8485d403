import { create } from "zustand";
import * as ipc from "../../../ipc";
import type {
  ContextOverride,
  ContextPreview,
  ContextTemplate,
  IpcError,
  Message,
  PromptMessage,
} from "../../../ipc";
import type { Problem } from "../../../ipc/problems";
import { useChatStore } from "../../chat/store/chatStore";

/** The override as edited: `null` keeps the agent's value. */
export interface ContextDraft {
  systemPrompt: string | null;
  presetMessages: PromptMessage[] | null;
  /** Attachments (SHA-256) left out of the conversation's requests; null: none. */
  excludedAttachments: string[] | null;
}

/**
 * Field paths as the core names them (`systemPrompt`, `presetMessages.2.content`): the
 * core's problem, or `empty` for an empty preset message found before sending.
 */
export type FieldErrors = Record<string, "empty" | Problem>;

export interface ContextState {
  conversationId: string | null;
  status: "idle" | "loading" | "ready" | "error";
  loadError: IpcError | null;
  draft: ContextDraft;
  /** The draft differs from what is stored. */
  dirty: boolean;
  saving: boolean;
  /** A save or message change that failed; field errors go to `fieldErrors`. */
  error: IpcError | null;
  /** Keyed by field path: the core's message, or `empty` for an empty preset message. */
  fieldErrors: FieldErrors;
  templates: ContextTemplate[];
  preview: ContextPreview | null;
  previewError: IpcError | null;

  /** Opens the drawer on a conversation and loads its override, templates and preview. */
  open: (conversationId: string) => Promise<void>;
  close: () => void;
  edit: (draft: ContextDraft) => void;
  /** Leaves an attachment out of the requests, or sends it again (saved with the draft). */
  setAttachmentExcluded: (sha256: string, excluded: boolean) => void;
  save: () => Promise<boolean>;
  applyTemplate: (templateId: string) => Promise<void>;
  refreshPreview: () => Promise<void>;
  setInContext: (message: Message, inContext: boolean) => Promise<boolean>;
  editMessage: (message: Message, content: string) => Promise<boolean>;
  deleteMessage: (message: Message) => Promise<boolean>;
}

function draftOf(value: ContextOverride): ContextDraft {
  return {
    systemPrompt: value.systemPrompt ?? null,
    presetMessages: value.presetMessages ?? null,
    excludedAttachments: value.excludedAttachments ?? null,
  };
}

/** The core's problems by path (the first of each); null when there are none to place. */
function fieldErrorsOf(error: IpcError): FieldErrors | null {
  if (error.code !== "invalid_input" || error.problems.length === 0) return null;
  const fields: FieldErrors = {};
  for (const problem of error.problems) fields[problem.path] ??= problem;
  return fields;
}

/** Puts a message the core changed into the open transcript. */
function patchTranscript(message: Message): void {
  useChatStore.getState().replaceMessage(message);
}

function dropFromTranscript(message: Message): void {
  useChatStore.getState().removeMessage(message);
}

const EMPTY_DRAFT: ContextDraft = {
  systemPrompt: null,
  presetMessages: null,
  excludedAttachments: null,
};

/** Only the latest preview request is shown. */
let previewTicket = 0;

export const useContextStore = create<ContextState>()((set, get) => {
  /** Runs a message change; a failure (`busy` while a reply streams) goes to `error`. */
  const change = async (run: () => Promise<void>) => {
    set({ error: null });
    try {
      await run();
      void get().refreshPreview();
      return true;
    } catch (error) {
      set({ error: ipc.toIpcError(error) });
      return false;
    }
  };

  return {
    conversationId: null,
    status: "idle",
    loadError: null,
    draft: EMPTY_DRAFT,
    dirty: false,
    saving: false,
    error: null,
    fieldErrors: {},
    templates: [],
    preview: null,
    previewError: null,

    open: async (conversationId) => {
      set({
        conversationId,
        status: "loading",
        loadError: null,
        draft: EMPTY_DRAFT,
        dirty: false,
        error: null,
        fieldErrors: {},
        preview: null,
        previewError: null,
      });
      try {
        const [value, templates] = await Promise.all([
          ipc.getContextOverride(conversationId),
          ipc.listTemplates(),
        ]);
        if (get().conversationId !== conversationId) return;
        set({ draft: draftOf(value), templates, status: "ready" });
        await get().refreshPreview();
      } catch (error) {
        if (get().conversationId === conversationId) {
          set({ status: "error", loadError: ipc.toIpcError(error) });
        }
      }
    },

    close: () => set({ conversationId: null, status: "idle" }),

    edit: (draft) => set({ draft, dirty: true, fieldErrors: {}, error: null }),

    setAttachmentExcluded: (sha256, excluded) => {
      const { draft, edit } = get();
      const rest = (draft.excludedAttachments ?? []).filter((s) => s !== sha256);
      const next = excluded ? [...rest, sha256] : rest;
      edit({ ...draft, excludedAttachments: next.length > 0 ? next : null });
    },

    save: async () => {
      const { conversationId, draft } = get();
      if (!conversationId) return false;
      const fieldErrors: FieldErrors = {};
      draft.presetMessages?.forEach((m, i) => {
        if (m.content.trim() === "") fieldErrors[`presetMessages.${i}.content`] = "empty";
      });
      if (Object.keys(fieldErrors).length > 0) {
        set({ fieldErrors });
        return false;
      }
      set({ saving: true, error: null, fieldErrors: {} });
      try {
        const stored = await ipc.setContextOverride(conversationId, {
          systemPrompt: draft.systemPrompt,
          presetMessages: draft.presetMessages,
          excludedAttachments: draft.excludedAttachments,
        });
        set({ draft: draftOf(stored), dirty: false, saving: false });
        void get().refreshPreview();
        return true;
      } catch (e) {
        const error = ipc.toIpcError(e);
        const fieldErrors = fieldErrorsOf(error);
        if (fieldErrors) set({ saving: false, fieldErrors });
        else set({ saving: false, error });
        return false;
      }
    },

    applyTemplate: async (templateId) => {
      const { conversationId } = get();
      if (!conversationId) return;
      set({ error: null, fieldErrors: {} });
      try {
        const stored = await ipc.applyTemplate(conversationId, templateId);
        set({ draft: draftOf(stored), dirty: false });
        void get().refreshPreview();
      } catch (error) {
        set({ error: ipc.toIpcError(error) });
      }
    },

    refreshPreview: async () => {
      const { conversationId } = get();
      if (!conversationId) return;
      const ticket = ++previewTicket;
      try {
        const preview = await ipc.previewContext(conversationId);
        if (ticket === previewTicket) set({ preview, previewError: null });
      } catch (error) {
        if (ticket === previewTicket) set({ previewError: ipc.toIpcError(error) });
      }
    },

    setInContext: (message, inContext) =>
      change(async () => {
        patchTranscript(await ipc.setMessageInContext(message.id, inContext));
      }),

    editMessage: (message, content) =>
      change(async () => {
        patchTranscript(await ipc.editMessage(message.id, content));
      }),

    deleteMessage: (message) =>
      change(async () => {
        await ipc.deleteMessage(message.id);
        dropFromTranscript(message);
      }),
  };
});
