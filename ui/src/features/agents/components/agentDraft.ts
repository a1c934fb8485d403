import type { Agent, AgentInput, AgentParams, PromptMessage } from "../../../ipc";
import type { FieldErrors } from "./agentErrors";

/** Parameter names as the core's error paths (and agent files) spell them. */
export const PARAM_FIELDS = [
  "temperature",
  "top_p",
  "max_tokens",
  "presence_penalty",
  "frequency_penalty",
] as const;
export type ParamField = (typeof PARAM_FIELDS)[number];

/** The same parameter's key over IPC. */
const PARAM_KEY = {
  temperature: "temperature",
  top_p: "topP",
  max_tokens: "maxTokens",
  presence_penalty: "presencePenalty",
  frequency_penalty: "frequencyPenalty",
} as const satisfies Record<ParamField, keyof AgentParams>;

export const POLICY_FIELDS = ["maxMessages", "maxContextTokens"] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The editor's copy of an agent: numbers as typed (empty = unset), lists as rows. */
export interface AgentDraft {
  name: string;
  avatar: string;
  description: string;
  agentId: string;
  providerId: string;
  model: string;
  params: Record<ParamField, string>;
  presetMessages: PromptMessage[];
  greetings: string[];
  suggestedQuestions: string[];
  policy: Record<PolicyField, string>;
  tools: DraftTools;
}

/** The agent's MCP tools with every list present (see `AgentTools`). */
export interface DraftTools {
  servers: string[];
  disabled: string[];
  alwaysAllowed: string[];
}

const text = (value: number | null | undefined) => (value == null ? "" : String(value));

export function draftFrom(agent: Agent | null): AgentDraft {
  const params = agent?.params ?? {};
  const policy = agent?.contextPolicy ?? {};
  return {
    name: agent?.appPreset.name ?? "",
    avatar: agent?.appPreset.avatar ?? "",
    description: agent?.appPreset.description ?? "",
    agentId: agent?.agentId ?? "",
    providerId: agent?.providerId ?? "",
    model: agent?.model ?? "",
    params: {
      temperature: text(params.temperature),
      top_p: text(params.topP),
      max_tokens: text(params.maxTokens),
      presence_penalty: text(params.presencePenalty),
      frequency_penalty: text(params.frequencyPenalty),
    },
    presetMessages: agent?.presetMessages.map((m) => ({ ...m })) ?? [],
    greetings: [...(agent?.appPreset.greetings ?? [])],
    suggestedQuestions: [...(agent?.appPreset.suggestedQuestions ?? [])],
    policy: {
      maxMessages: text(policy.maxMessages),
      maxContextTokens: text(policy.maxContextTokens),
    },
    tools: {
      servers: [...(agent?.tools.servers ?? [])],
      disabled: [...(agent?.tools.disabled ?? [])],
      alwaysAllowed: [...(agent?.tools.alwaysAllowed ?? [])],
    },
  };
}

export type { FieldErrors } from "./agentErrors";

/** Null for empty; NaN for text that is not a number. */
function number(value: string): number | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  return Number(trimmed);
}

/** Numbers that do not parse are reported here; ranges are the core's to check. */
export function parseDraft(
  draft: AgentDraft,
  base: Agent | null,
): { input: AgentInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const params: AgentParams = {};
  for (const field of PARAM_FIELDS) {
    const value = number(draft.params[field]);
    if (value !== null && Number.isNaN(value)) errors[`params.${field}`] = { key: "number" };
    else if (value !== null) params[PARAM_KEY[field]] = value;
  }
  const policy: Record<string, number | null> = {};
  for (const field of POLICY_FIELDS) {
    const value = number(draft.policy[field]);
    if (value !== null && (!Number.isInteger(value) || value < 0)) {
      errors[`context_policy.${field}`] = { key: "wholeNumber" };
    } else policy[field] = value;
  }
  if (draft.name.trim() === "") errors["app_preset.name"] = { key: "name" };
  return {
    errors,
    input: {
      agentId: draft.agentId.trim(),
      providerId: draft.providerId === "" ? null : draft.providerId,
      model: draft.model.trim() === "" ? null : draft.model.trim(),
      params,
      presetMessages: draft.presetMessages,
      // Keys this version does not edit (and newer ones) go back as they came.
      appPreset: {
        ...(base?.appPreset ?? {}),
        name: draft.name.trim(),
        avatar: draft.avatar.trim(),
        description: draft.description.trim(),
        greetings: draft.greetings.filter((g) => g.trim() !== ""),
        suggestedQuestions: draft.suggestedQuestions.filter((q) => q.trim() !== ""),
      },
      contextPolicy: policy,
      tools: draft.tools,
    },
  };
}

/** Moves the item at `index` one place up (-1) or down (+1). */
export function moved<T>(items: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}
