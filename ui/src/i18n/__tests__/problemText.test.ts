import { act } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { i18n } from "..";
import type { Rule } from "../../bindings";
import { problem } from "../../test/core";
import { problemDetail, problemLine, problemText } from "../problemText";

describe("problem text", () => {
  it("fills in the rule's numbers and values, in English and Chinese", async () => {
    const range = problem("params.topP", "out_of_range", { min: 0, max: 1 });
    const size = problem("content", "too_large", { max: 1 << 20 });
    const taken = problem("agentId", "taken", { value: "coder" });
    expect(problemText(i18n.t, range)).toBe("Enter a value from 0 to 1.");
    expect(problemText(i18n.t, size)).toBe("Too large: at most 1 MB.");
    expect(problemLine(i18n.t, taken)).toBe("agentId: “coder” is already used by another agent.");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(problemText(i18n.t, range)).toBe("请输入 0 到 1 之间的值。");
    expect(problemText(i18n.t, size)).toMatch(/^太大：最多 1/);
  });

  it("keeps a parser's words as the detail, and reads an unknown rule as a refusal", () => {
    const malformed = problem("conversations[2].pinned", "malformed", {
      detail: 'invalid type: string "yes", expected a boolean',
    });
    expect(problemDetail(malformed)).toBe('invalid type: string "yes", expected a boolean');
    expect(problemLine(i18n.t, malformed)).toBe(
      'conversations[2].pinned: This value has the wrong form. (invalid type: string "yes", expected a boolean)',
    );
    const future = problem("name", "from_a_newer_core" as Rule);
    expect(problemText(i18n.t, future)).toBe(
      "That input was not accepted. Check it and try again.",
    );
  });
});
