import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../ipc";
import { RULES } from "../../ipc/problems";
import { detectLanguage } from "..";
import en from "../en.json";
import zhCN from "../zh-CN.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("translations", () => {
  it("have the same keys in English and Simplified Chinese", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it("explain every error code in both languages", () => {
    for (const code of [...ERROR_CODES, "unavailable"] as const) {
      expect(en.errors[code]).toMatch(/\S/);
      expect(zhCN.errors[code]).toMatch(/\S/);
      expect(en.errorShort[code]).toMatch(/\S/);
      expect(zhCN.errorShort[code]).toMatch(/\S/);
    }
  });

  it("tell every rule a problem can break in both languages", () => {
    for (const rule of RULES) {
      expect(en.problems[rule], rule).toMatch(/\S/);
      expect(zhCN.problems[rule], rule).toMatch(/\S/);
    }
    expect(Object.keys(en.problems).sort()).toEqual([...RULES].sort());
  });

  it("leave no string empty", () => {
    const values = (o: unknown): unknown[] =>
      typeof o === "object" && o !== null ? Object.values(o).flatMap(values) : [o];
    for (const value of [...values(en), ...values(zhCN)]) expect(value).toMatch(/\S/);
  });
});

describe("detectLanguage", () => {
  it("follows the system: any Chinese locale gets zh-CN, everything else English", () => {
    expect(detectLanguage(null, "zh-CN")).toBe("zh-CN");
    expect(detectLanguage(null, "zh-TW")).toBe("zh-CN");
    expect(detectLanguage(null, "zh")).toBe("zh-CN");
    expect(detectLanguage(null, "en-GB")).toBe("en");
    expect(detectLanguage(null, "de")).toBe("en");
    expect(detectLanguage(null, undefined)).toBe("en");
  });

  it("prefers the language the person chose", () => {
    expect(detectLanguage("en", "zh-CN")).toBe("en");
    expect(detectLanguage("zh-CN", "en-US")).toBe("zh-CN");
    expect(detectLanguage("fr", "en-US")).toBe("en");
  });
});
