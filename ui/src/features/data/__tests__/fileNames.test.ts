import { describe, expect, it } from "vitest";
import { backupFileName, exportFileName, formatSize } from "../fileNames";

describe("file names", () => {
  const day = new Date(2025, 2, 1, 12);

  it("names an export after the conversation, safe on every file system", () => {
    expect(exportFileName("md", 'a/b\\c:d*e?"f"<g>|h', day)).toBe("a b c d e f g h.md");
    expect(exportFileName("json", "Trip.  ", day)).toBe("Trip.json");
    expect(exportFileName("md", "量子纠缠\u0007", day)).toBe("量子纠缠.md");
    expect(exportFileName("md", "x".repeat(200), day)).toBe(`${"x".repeat(80)}.md`);
  });

  it("falls back to the date", () => {
    expect(exportFileName("json", null, day)).toBe("confab-2025-03-01.json");
    expect(exportFileName("md", " ?? ", day)).toBe("confab-2025-03-01.md");
    expect(backupFileName(day)).toBe("confab-backup-2025-03-01.db");
  });

  it("formats sizes in the interface language", () => {
    expect(formatSize(812, "en")).toBe("812 B");
    expect(formatSize(999_999, "en")).toBe("1,000 kB");
    expect(formatSize(4_915_200, "en")).toBe("4.9 MB");
    expect(formatSize(48_000, "zh-CN")).toBe("48 kB");
  });
});
