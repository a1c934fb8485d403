import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { Problem, Rule } from "../../../bindings";
import { invalidInput, mockCore, problem } from "../../../test/core";
import { testAgent } from "../../../test/fixtures";
import { AgentEditorDialog } from "../components/AgentEditorDialog";
import { useAgentEditor } from "../store/agentEditorStore";

const agent = testAgent({
  presetMessages: [
    { role: "system", content: "You translate." },
    { role: "user", content: "Example" },
  ],
  appPreset: {
    name: "Translator",
    greetings: ["Hello!", "I keep the tone."],
    suggestedQuestions: ["Translate 你好"],
  },
});

/**
 * What the core answers for a draft that breaks every rule: its problems as the core's
 * `each_rule_comes_with_its_path_and_params` test pins them, plus the two that need the
 * database and one about a field this editor does not have.
 */
const CORE_PROBLEMS: Problem[] = [
  problem("agentId", "invalid_slug", { max: 64, value: "Bad Id" }),
  problem("providerId", "no_such_provider", { value: "p9" }),
  problem("model", "too_long", { max: 200 }),
  problem("params.temperature", "out_of_range", { min: 0, max: 2 }),
  problem("params.maxTokens", "out_of_range", { min: 1, max: 1_000_000 }),
  problem("presetMessages.0.role", "preset_role"),
  problem("presetMessages.1.content", "required"),
  problem("appPreset.avatar", "too_long", { max: 32 }),
  problem("appPreset.greetings.0", "too_long", { max: 4000 }),
  problem("appPreset.suggestedQuestions.0", "required"),
  problem("contextPolicy.maxMessages", "at_least", { min: 1 }),
  problem("contextPolicy.maxContextTokens", "out_of_range", { min: 256, max: 10_000_000 }),
  problem("appPreset.mood", "malformed", { detail: "something only a newer core checks" }),
];

/** Field → [the control it belongs to, English, Chinese]. */
const EXPECTED: [string, string, string, string][] = [
  ["agent_id", "agent-slug", "Use 1 to 64 lowercase letters", "请使用 1 到 64 个小写字母"],
  ["provider_id", "agent-provider", "This provider no longer exists.", "该服务商已不存在"],
  ["model", "agent-model", "Too long: at most 200 characters.", "太长：最多 200 个字符。"],
  [
    "params.temperature",
    "agent-param-temperature",
    "Enter a value from 0 to 2.",
    "请输入 0 到 2 之间的值。",
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
    "Enter at least 1.",
    "请输入不小于 1 的值。",
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
  ["preset_messages[1]", "preset-message", 1, "This cannot be empty.", "此项不能为空。"],
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
    "This cannot be empty.",
    "此项不能为空。",
  ],
];

async function saveRefused(problems: Problem[]) {
  mockCore({
    listAgents: () => [agent],
    listProviders: () => [],
    updateAgent: () => invalidInput(...problems),
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
    await saveRefused(CORE_PROBLEMS);
    expectEverywhere(0);
    // A field the editor does not have is still told, with its path and the core's words.
    expect(screen.getByTestId("agent-other-errors")).toHaveTextContent(
      "appPreset.mood: This value has the wrong form. (something only a newer core checks)",
    );
    // The core's English summary is not shown instead of the translations.
    expect(screen.queryByText(/out_of_range/)).toBeNull();
  });

  it("tells the same problems in Chinese", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    await saveRefused(CORE_PROBLEMS);
    expectEverywhere(1);
  });

  it("says a taken ID and a value it does not recognise in both languages", async () => {
    await saveRefused([
      problem("agentId", "taken", { value: "translator" }),
      // A rule from a newer core than this UI.
      problem("appPreset.name", "from_the_future" as Rule),
    ]);
    const slug = screen.getByTestId("agent-error-agent_id");
    const name = screen.getByTestId("agent-error-app_preset.name");
    expect(slug).toHaveTextContent("“translator” is already used by another agent.");
    expect(name).toHaveTextContent("That input was not accepted.");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(slug).toHaveTextContent("已有其他智能体使用“translator”。");
    expect(name).toHaveTextContent("输入内容无效");
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
