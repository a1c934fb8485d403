/**
 * `?tools` for the fake core (see `fakeCore.ts`): an agent with a tool server, a
 * conversation of it whose reply has tool steps (the newest, so `&open` opens it), and
 * replies in its conversations that ask to run a tool first: the call waits for an answer
 * (unless always allowed), runs with progress, and its result comes before the answer.
 */
import type { Agent, AgentInput, Conversation, Message, Part, ToolDecision } from "../ipc";
import { lineFields } from "./lineMessage";
import type { Emit, LiveStream } from "./fakePlayer";

const SERVER_ID = "web";
const SERVER = "Web tools";
const TOOL = "fetch_page";
const TOOL_KEY = `${SERVER_ID}/${TOOL}`;
const ARGUMENTS = '{"url":"https://tides.example/lisbon","maxChars":4000}';

export const DENIED = "The person did not allow this call.";

function tideTable(): string {
  const rows = Array.from({ length: 24 }, (_, h) => {
    const height = (2 + 1.6 * Math.sin((h / 12.4) * 2 * Math.PI)).toFixed(2);
    return `${String(h).padStart(2, "0")}:00  ${height} m`;
  });
  return ["Lisbon (Cais do Sodré), tomorrow", "time   height", ...rows].join("\n");
}

function toolAgentInput(chinese: boolean): AgentInput {
  return {
    agentId: "researcher",
    appPreset: {
      name: chinese ? "资料员" : "Researcher",
      avatar: "🔎",
      description: chinese ? "会查网页的助手" : "Looks things up on the web",
    },
    tools: { servers: [SERVER_ID], disabled: [], alwaysAllowed: [] },
  };
}

/** The tool agent (created through `createAgent`) and its sample conversation. */
export function addToolSamples(
  createAgent: (input: AgentInput) => Agent | Promise<never>,
  conversations: Conversation[],
  messages: Map<string, Message[]>,
  chinese: boolean,
  now: number,
): void {
  // A valid input: the fake never refuses it.
  const agent = createAgent(toolAgentInput(chinese)) as Agent;
  const id = "fake-tools";
  conversations.unshift({
    id,
    agentId: agent.id,
    title: chinese ? "里斯本的潮汐" : "Tides in Lisbon",
    status: "active",
    pinned: false,
    toolsEnabled: true,
    createdAt: now - 120_000,
    updatedAt: now - 30_000,
  });
  const call = (callId: string, name: string, args: string): Part => ({
    type: "toolCall",
    callId,
    name,
    server: SERVER,
    arguments: args,
  });
  const intro = chinese ? "我查一下潮汐表。" : "I'll look at the tide table.";
  const answer = chinese
    ? "明天的**高潮**约在 03:00 和 15:30，低潮约在 09:15 和 21:40。"
    : "Tomorrow's **high tides** are around 03:00 and 15:30; low tides around 09:15 and 21:40.";
  const parts: Part[] = [
    { type: "text", text: intro },
    call("call-a", TOOL, ARGUMENTS),
    call("call-b", "get_forecast", '{"city": "Lisbon", "days": 1'),
    { type: "toolResult", callId: "call-a", content: tideTable(), durationMs: 1840 },
    {
      type: "toolResult",
      callId: "call-b",
      content: "The arguments are not valid JSON (EOF while parsing an object at line 1).",
      isError: true,
      durationMs: 0,
    },
    { type: "text", text: answer },
  ];
  const base = { conversationId: id, inContext: true, ...lineFields(), state: "complete" as const };
  const question = chinese ? "明天里斯本什么时候涨潮？" : "When is high tide in Lisbon tomorrow?";
  messages.set(id, [
    {
      ...base,
      id: "tools-q",
      seq: 1,
      role: "user",
      content: question,
      createdAt: now - 60_000,
      meta: {},
    },
    {
      ...base,
      id: "tools-a",
      seq: 2,
      role: "assistant",
      content: intro + answer,
      parts,
      createdAt: now - 30_000,
      meta: { model: "gpt-4o-mini", totalMs: 4200 },
    },
  ]);
}

/** The tools of the conversation's agent, when it has some and they are on there. */
export function toolsOf(
  conversation: Conversation | undefined,
  agents: Agent[],
): Agent["tools"] | null {
  if (!conversation?.toolsEnabled || !conversation.agentId) return null;
  const agent = agents.find((a) => a.id === conversation.agentId);
  return agent?.tools.servers?.length ? agent.tools : null;
}

/** What a tool step needs of the reply playing it. */
export interface ToolStepPlay {
  stream: LiveStream;
  send: Emit;
  later: (ms: number, f: () => void) => void;
  chinese: boolean;
}

/**
 * A short text, then one call of `fetch_page`: waiting for an answer unless the agent
 * always allows it, then running with progress; `then` goes on once its result is in.
 */
export function playToolStep(
  { stream, send, later, chinese }: ToolStepPlay,
  tools: Agent["tools"],
  then: () => void,
): void {
  const intro = chinese ? "我先查一下潮汐表。" : "Let me check the tide table first.";
  const call = { callId: `call-${stream.id}`, name: TOOL, server: SERVER, arguments: ARGUMENTS };
  const result = (content: string, isError: boolean, durationMs: number) => {
    const part = { callId: call.callId, content, isError, durationMs };
    stream.steps.push({ type: "toolResult", ...part });
    send({ event: "toolResult", data: part });
    later(300, then);
  };
  const run = () => {
    send({ event: "toolCall", data: { ...call, status: "running" } });
    for (let page = 1; page <= 3; page++) {
      later(page * 700, () =>
        send({
          event: "toolProgress",
          data: { callId: call.callId, progress: page, total: 3, message: "tides.example" },
        }),
      );
    }
    later(2600, () => result(tideTable(), false, 2600));
  };
  later(150, () => {
    stream.text = intro;
    send({ event: "delta", data: { text: intro } });
  });
  later(600, () => {
    stream.steps.push({ type: "text", text: intro }, { type: "toolCall", ...call });
    stream.text = "";
    if (tools.alwaysAllowed?.includes(TOOL_KEY)) return run();
    stream.waiting.set(call.callId, (decision: ToolDecision) => {
      stream.waiting.delete(call.callId);
      if (decision === "deny") return result(DENIED, true, 0);
      if (decision === "always_allow")
        tools.alwaysAllowed = [...(tools.alwaysAllowed ?? []), TOOL_KEY];
      run();
    });
    send({ event: "toolCall", data: { ...call, status: "awaiting_approval" } });
  });
}
