import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { Agent } from "../../../ipc";
import { appError, mockCore } from "../../../test/core";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";

const agent: Agent = {
  id: "a1",
  agentId: "translator",
  providerId: null,
  model: null,
  params: {},
  presetMessages: [
    { role: "system", content: "You translate." },
    { role: "user", content: "Example" },
  ],
  appPreset: {
    name: "Translator",
    greetings: ["Hello!", "I keep the tone."],
    suggestedQuestions: ["Translate 你好"],
  },
  contextPolicy: {},
  builtin: false,
  createdAt: 0,
  updatedAt: 0,
};

/**
 * What the core answers for a draft that breaks every rule: its lines, word for word (the
 * core's `the_lines_the_ui_translates_are_these` test pins the same wording), plus the two
 * that need the database and one this build does not know.
 */
const CORE_LINES = [
  "agent_id: \"Bad Id\" is not a valid id: 1 to 64 lowercase letters, digits or '-', not starting with '-'",
  "provider_id: no provider p9",
  "model: at most 200 characters",
  "params.temperature: must be between 0 and 2",
  "params.max_tokens: must be between 1 and 1000000",
  "preset_messages[0].role: must be system, user or assistant",
  "preset_messages[1].content: is empty",
  "app_preset.avatar: at most 32 characters",
  "app_preset.greetings[0]: at most 4000 characters",
  "app_preset.suggested_questions[0]: is empty",
  "context_policy.maxMessages: must be at least 1 when set",
  "context_policy.maxContextTokens: must be between 256 and 10000000 when set",
  "app_preset.mood: something only a newer core checks",
];

/** Field → [the control it belongs to, English, Chinese]. */
const EXPECTED: [string, string, string, string][] = [
  ["agent_id", "agent-slug", "Use 1 to 64 lowercase letters", "请使用 1 到 64 个小写字母"],
  ["provider_id", "agent-provider", "This provider no longer exists.", "该服务商已不存在"],
  ["model", "agent-model", "Too long: at most 200 characters.", "太长：最多 200 个字符。"],
  [
    "params.temperature",
    "agent-param-temperature",
    "Enter a value from 0 to 2, or leave it empty.",
    "请输入 0 到 2 之间的值，或留空。",
  ],
  [
    "params.max_tokens",
    "agent-param-max_tokens",
    "Enter a value from 1 to 1000000",
    "请输入 1 到 1000000 之间的值",
  ],
  ["app_preset.avatar", "agent-avatar", "at most 32 characters", "最多 32 个字符"],
  [
    "context_policy.maxMessages",
    "agent-policy-maxMessages",
    "Enter at least 1, or leave it empty.",
    "请输入不小于 1 的值，或留空。",
  ],
  [
    "context_policy.maxContextTokens",
    "agent-policy-maxContextTokens",
    "Enter a value from 256 to 10000000",
    "请输入 256 到 10000000 之间的值",
  ],
];

/** Row errors → [the row's test id, its index on screen, English, Chinese]. */
const EXPECTED_ROWS: [string, string, number, string, string][] = [
  [
    "preset_messages[0]",
    "preset-message",
    0,
    "Choose System, User or Assistant.",
    "请选择系统、用户或助手。",
  ],
  [
    "preset_messages[1]",
    "preset-message",
    1,
    "Write something here, or remove it.",
    "请填写内容，或将其删除。",
  ],
  // The first greeting row was cleared, so the core's greetings[0] is the second row.
  [
    "app_preset.greetings[1]",
    "agent-greetings-row",
    1,
    "at most 4000 characters",
    "最多 4000 个字符",
  ],
  [
    "app_preset.suggested_questions[0]",
    "agent-suggestedQuestions-row",
    0,
    "Write something here, or remove it.",
    "请填写内容，或将其删除。",
  ],
];

async function saveRefused(lines: string[]) {
  mockCore({
    listAgents: () => [agent],
    listProviders: () => [],
    updateAgent: () => appError("invalid_input", lines.join("\n")),
  });
  const user = userEvent.setup();
  render(<AgentEditorDialog />);
  await screen.findByTestId("agent-greetings");
  const first = within(screen.getAllByTestId("agent-greetings-row")[0]!).getByRole("textbox");
  await user.clear(first);
  await user.click(screen.getByTestId("agent-save"));
  await screen.findByTestId("agent-error-agent_id");
  return user;
}

function expectEverywhere(language: 0 | 1) {
  for (const [field, control, ...texts] of EXPECTED) {
    const error = screen.getByTestId(`agent-error-${field}`);
    expect(error, field).toHaveTextContent(texts[language]);
    // Beside its own control, which points to it.
    const input = screen.getByTestId(control);
    expect(error.closest(".form-field"), field).toContainElement(input);
    expect(input, field).toHaveAttribute("aria-invalid", "true");
    expect(input.getAttribute("aria-describedby"), field).toBe(error.id);
  }
  for (const [field, rowId, index, ...texts] of EXPECTED_ROWS) {
    const row = screen.getAllByTestId(rowId)[index]!;
    expect(within(row).getByTestId(`agent-error-${field}`), field).toHaveTextContent(
      texts[language],
    );
  }
}

describe("the agent editor's field errors", () => {
  beforeEach(() => useAgentEditor.setState({ target: "a1" }));

  it("puts every core problem beside its field, in English", async () => {
    await saveRefused(CORE_LINES);
    expectEverywhere(0);
    // A rule this build does not know is still shown, with the core's own words.
    expect(screen.getByTestId("agent-other-errors")).toHaveTextContent(
      "app_preset.mood: something only a newer core checks",
    );
    // The raw lines are not shown instead of the translations.
    expect(screen.queryByText(/must be between 0 and 2/)).toBeNull();
  });

  it("tells the same problems in Chinese", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    await saveRefused(CORE_LINES);
    expectEverywhere(1);
  });

  it("says a taken ID and a value it does not recognise in both languages", async () => {
    await saveRefused([
      'agent_id: "translator" already exists',
      "app_preset.name: a rule from a newer core",
    ]);
    const slug = screen.getByTestId("agent-error-agent_id");
    const name = screen.getByTestId("agent-error-app_preset.name");
    expect(slug).toHaveTextContent("Another agent already uses the ID “translator”.");
    expect(name).toHaveTextContent("This value is not accepted.");
    expect(name).toHaveTextContent("a rule from a newer core");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(slug).toHaveTextContent("已有其他智能体使用 ID“translator”。");
    expect(name).toHaveTextContent("此值不被接受。");
  });

  it("checks a missing name and numbers that do not parse before asking the core", async () => {
    const core = mockCore({ listAgents: () => [agent], listProviders: () => [] });
    const user = userEvent.setup();
    render(<AgentEditorDialog />);
    await user.clear(await screen.findByTestId("agent-name"));
    await user.type(screen.getByTestId("agent-param-top_p"), "0,5");
    await user.type(screen.getByTestId("agent-policy-maxMessages"), "2.5");
    await user.click(screen.getByTestId("agent-save"));

    expect(screen.getByTestId("agent-error-app_preset.name")).toHaveTextContent("Enter a name.");
    expect(screen.getByTestId("agent-error-params.top_p")).toHaveTextContent(
      "Enter a number, or leave it empty.",
    );
    expect(screen.getByTestId("agent-error-context_policy.maxMessages")).toHaveTextContent(
      "Enter a whole number, or leave it empty.",
    );
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByTestId("agent-error-app_preset.name")).toHaveTextContent("请输入名称。");
    expect(screen.getByTestId("agent-error-params.top_p")).toHaveTextContent(
      "请输入数字，或留空。",
    );
    expect(screen.getByTestId("agent-error-context_policy.maxMessages")).toHaveTextContent(
      "请输入整数，或留空。",
    );
    expect(core.calls.some((c) => c.cmd === "update_agent")).toBe(false);
  });
});
