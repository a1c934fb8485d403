/**
 * The fake core's providers and agents (see `fakeCore.ts`): kept in memory, validated the
 * way the core does for the cases worth seeing on screen.
 */
import type { Problem } from "../bindings";
import type { Agent, AgentInput, ModelInfo, Provider, ProviderInput, ProviderPreset } from "../ipc";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

const PRESETS: ProviderPreset[] = [
  {
    id: "openai",
    name: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4o-mini",
    needsKey: true,
  },
  {
    id: "deepseek",
    name: "DeepSeek",
    baseUrl: "https://api.deepseek.com/v1",
    defaultModel: "deepseek-chat",
    needsKey: true,
  },
  {
    id: "ollama",
    name: "Ollama (local)",
    baseUrl: "http://localhost:11434/v1",
    defaultModel: "llama3.1",
    needsKey: false,
  },
];

function agentOf(id: string, input: AgentInput, now: number, builtin = false): Agent {
  return {
    id,
    agentId: input.agentId ?? id,
    providerId: input.providerId ?? null,
    model: input.model ?? null,
    params: input.params ?? {},
    presetMessages: input.presetMessages ?? [],
    appPreset: { creationDate: new Date(now).toISOString(), ...input.appPreset },
    contextPolicy: input.contextPolicy ?? {},
    tools: { servers: [], disabled: [], alwaysAllowed: [], ...input.tools },
    builtin,
    createdAt: now,
    updatedAt: now,
  };
}

/** An agent as agent files spell it (snake_case, like the core's `AgentDoc`). */
interface FileAgent {
  agent_id?: string;
  model?: string | null;
  params?: Record<string, number>;
  preset_messages?: AgentInput["presetMessages"];
  app_preset?: Record<string, unknown>;
  context_policy?: AgentInput["contextPolicy"];
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const rekey = (object: object | undefined, name: (key: string) => string) =>
  Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [name(k), v as unknown]));

function toFile(agent: Agent): FileAgent {
  const { extra, ...preset } = agent.appPreset;
  return {
    agent_id: agent.agentId,
    model: agent.model,
    params: rekey(agent.params, snake) as Record<string, number>,
    preset_messages: agent.presetMessages,
    app_preset: { ...extra, ...rekey(preset, snake) },
    context_policy: agent.contextPolicy,
  };
}

function fromFile(file: FileAgent): AgentInput {
  return {
    agentId: file.agent_id,
    model: file.model ?? null,
    params: rekey(file.params, camel),
    presetMessages: file.preset_messages ?? [],
    appPreset: rekey(file.app_preset, camel),
    contextPolicy: file.context_policy ?? {},
  };
}

export function createCatalog(chinese: boolean) {
  const now = Date.now();
  let seq = 0;
  const providers: Provider[] = [
    {
      id: "prov-1",
      name: "OpenAI",
      kind: "openai-compatible",
      baseUrl: "https://api.openai.com/v1",
      defaultModel: "gpt-4o-mini",
      extraHeaders: {},
      secretHeaders: {},
      keySet: true,
      createdAt: now,
      updatedAt: now,
    },
    {
      id: "prov-2",
      name: "Ollama",
      kind: "openai-compatible",
      baseUrl: "http://localhost:11434/v1",
      defaultModel: "llama3.1",
      extraHeaders: { "X-Team": "docs" },
      secretHeaders: { "x-api-key": { set: true, last4: "9f3a" } },
      keySet: false,
      createdAt: now,
      updatedAt: now,
    },
  ];
  const keys = new Map<string, string>([["prov-1", "7c2e"]]);
  const agents: Agent[] = [
    agentOf(
      "default",
      {
        agentId: "default",
        appPreset: {
          name: chinese ? "通用助手" : "Assistant",
          avatar: "💬",
          description: chinese ? "内置助手" : "The built-in assistant",
        },
      },
      now,
      true,
    ),
    agentOf(
      "agent-translator",
      {
        agentId: "translator",
        providerId: "prov-1",
        model: "gpt-4o-mini",
        params: { temperature: 0.3 },
        presetMessages: [{ role: "system", content: "You translate between Chinese and English." }],
        appPreset: {
          name: chinese ? "翻译官" : "Translator",
          avatar: "🌐",
          description: chinese ? "中英互译" : "Chinese ⇄ English",
          greetings: chinese
            ? ["你好！把要翻译的文字发给我。", "我会保留原文的语气。"]
            : ["Hi! Send me any text to translate.", "I keep the tone of the original."],
          suggestedQuestions: chinese
            ? ["把“早上好”翻译成英文", "翻译一段技术文档"]
            : ["Translate “good morning” into Chinese", "Translate a paragraph of docs"],
        },
        contextPolicy: { maxMessages: 20 },
      },
      now,
    ),
    agentOf(
      "agent-coder",
      {
        agentId: "coder",
        appPreset: {
          name: chinese ? "代码审查" : "Code reviewer",
          avatar: "🧑‍💻",
          greetings: [chinese ? "贴一段代码，我来审查。" : "Paste some code to review."],
          suggestedQuestions: [
            chinese ? "这段 Rust 有什么问题？" : "What is wrong with this Rust?",
          ],
        },
      },
      now,
    ),
  ];

  const provider = (id: string) => providers.find((p) => p.id === id);
  const agent = (id: string) => agents.find((a) => a.id === id);

  /** As the core answers: only whether each secret value is stored, and its last four. */
  function secretStatuses(
    input: Pick<ProviderInput, "secretHeaders">,
    before: Provider["secretHeaders"],
  ): Provider["secretHeaders"] {
    const out: Provider["secretHeaders"] = {};
    for (const [name, value] of Object.entries(input.secretHeaders ?? {})) {
      const kept = before[name];
      out[name] =
        value === null || value === undefined
          ? (kept ?? { set: false, last4: null })
          : { set: true, last4: value.slice(-4) };
    }
    return out;
  }

  function checkProvider(input: ProviderInput): Promise<never> | null {
    if (!input.name?.trim()) return refuse(fail, problem("name", "required"));
    if (!/^https?:\/\//.test(input.baseUrl ?? "")) {
      return refuse(fail, problem("baseUrl", "url_scheme"));
    }
    return null;
  }

  function checkAgent(input: AgentInput, id: string | null, path = ""): Problem[] {
    const problems: Problem[] = [];
    const slug = input.agentId ?? "";
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(slug)) {
      problems.push(problem(`${path}agentId`, "invalid_slug", { max: 64, value: slug }));
    } else if (agents.some((a) => a.agentId === slug && a.id !== id)) {
      problems.push(problem(`${path}agentId`, "taken", { value: slug }));
    }
    const temperature = input.params?.temperature;
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      problems.push(problem(`${path}params.temperature`, "out_of_range", { min: 0, max: 2 }));
    }
    input.presetMessages?.forEach((m, i) => {
      if (m.content.trim() === "")
        problems.push(problem(`${path}presetMessages.${i}.content`, "required"));
    });
    if (input.providerId != null && !provider(input.providerId)) {
      problems.push(problem(`${path}providerId`, "no_such_provider", { value: input.providerId }));
    }
    return problems;
  }

  /** The models of a provider the fake can "reach": not a local one, and with a key. */
  function reachable(id: string): Promise<ModelInfo[]> {
    const found = provider(id);
    if (!found) return fail("not_found", "no such provider");
    if (found.baseUrl.includes("localhost")) {
      return fail("network", "connection refused (localhost:11434)");
    }
    if (!keys.has(found.id)) return fail("no_api_key", "no API key for this provider");
    const models = ["gpt-4o-mini", "gpt-4o", "o3-mini", "text-embedding-3-small"].map((id) => ({
      id,
      ownedBy: "system",
    }));
    return Promise.resolve(models);
  }

  return {
    listProviderPresets: () => PRESETS,
    listProviders: () => providers.map((p) => ({ ...p, keySet: keys.has(p.id) })),
    getProvider: (id) => provider(id) ?? fail("not_found", "no such provider"),
    createProvider: (input) => {
      const refused = checkProvider(input);
      if (refused) return refused;
      const created: Provider = {
        id: `prov-${++seq + 10}`,
        name: input.name ?? "",
        kind: "openai-compatible",
        baseUrl: input.baseUrl ?? "",
        defaultModel: input.defaultModel ?? "",
        extraHeaders: input.extraHeaders ?? {},
        secretHeaders: secretStatuses(input, {}),
        keySet: false,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      providers.push(created);
      return created;
    },
    updateProvider: (id, input) => {
      const found = provider(id);
      if (!found) return fail("not_found", "no such provider");
      const refused = checkProvider(input);
      if (refused) return refused;
      const { secretHeaders, ...plain } = input;
      Object.assign(found, plain, {
        secretHeaders: secretStatuses({ secretHeaders }, found.secretHeaders),
        updatedAt: Date.now(),
      });
      return { ...found, keySet: keys.has(found.id) };
    },
    deleteProvider: (id) => {
      const users = agents.filter((a) => a.providerId === id);
      if (users.length > 0) {
        const names = users.map((a) => a.agentId).join(", ");
        return fail("in_use", `provider is still used by agents ${names}`);
      }
      const index = providers.findIndex((p) => p.id === id);
      if (index >= 0) providers.splice(index, 1);
      return null;
    },
    getProviderKeyStatus: (id) => {
      const last4 = keys.get(id) ?? null;
      return { set: last4 !== null, last4 };
    },
    setProviderApiKey: (id, key) => {
      const last4 = key.slice(-4);
      keys.set(id, last4);
      return { set: true, last4 };
    },
    clearProviderApiKey: (id) => {
      keys.delete(id);
      return { set: false, last4: null };
    },
    testProviderConnection: (id) => reachable(id).then((models) => ({ models, latencyMs: 238 })),
    listProviderModels: (id) => reachable(id),
    listAgents: () => agents,
    getAgent: (id) => agent(id) ?? fail("not_found", "no such agent"),
    createAgent: (input) => {
      const problems = checkAgent(input, null);
      if (problems.length > 0) return refuse(fail, ...problems);
      const created = agentOf(`agent-${++seq}`, input, Date.now());
      agents.push(created);
      return created;
    },
    updateAgent: (id, input) => {
      const found = agent(id);
      if (!found) return fail("not_found", "no such agent");
      const problems = checkAgent(input, found.id);
      if (problems.length > 0) return refuse(fail, ...problems);
      Object.assign(found, agentOf(found.id, input, Date.now(), found.builtin), {
        createdAt: found.createdAt,
      });
      return found;
    },
    duplicateAgent: (id) => {
      const found = agent(id);
      if (!found) return fail("not_found", "no such agent");
      const copy = agentOf(
        `agent-${++seq}`,
        {
          ...found,
          agentId: `${found.agentId}-copy`,
          appPreset: { ...found.appPreset, name: `${found.appPreset.name ?? ""} (copy)` },
        },
        Date.now(),
      );
      agents.push(copy);
      return copy;
    },
    deleteAgent: (id) => {
      const found = agent(id);
      if (found?.builtin) return refuse(fail, problem("", "builtin_undeletable"));
      const index = agents.findIndex((a) => a.id === id);
      if (index >= 0) agents.splice(index, 1);
      return null;
    },
    exportAgents: (ids) => {
      const chosen = agents.filter((a) => (ids.length ? ids.includes(a.id) : !a.builtin));
      const document = { format: "confab-agents", version: 1, agents: chosen.map(toFile) };
      return JSON.stringify(document, null, 2);
    },
    importAgents: (document) => {
      let parsed: { agents?: FileAgent[] };
      try {
        parsed = JSON.parse(document) as { agents?: FileAgent[] };
      } catch {
        return refuse(fail, problem("file", "invalid_json", { line: 1, column: 1 }));
      }
      const list = (parsed.agents ?? []).map(fromFile);
      const problems = list.flatMap((a, i) => checkAgent(a, null, `agents.${i}.`));
      if (problems.length > 0) return refuse(fail, ...problems);
      const created = list.map((a) => agentOf(`agent-${++seq}`, a, Date.now()));
      agents.push(...created);
      return created;
    },
  } satisfies Partial<CoreHandlers>;
}
