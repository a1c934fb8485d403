/**
 * The fake core's updates (see `fakeCore.ts`): version 0.1.0 installed from a package;
 * `?update=0.2.0` makes a check find that version (with notes), and `?updateFail=CODE`
 * makes the install fail with that error code after its download.
 */
import type { ErrorCode, UpdateInfo } from "../ipc";
import { channelSender, rejectWith as fail, type CoreHandlers } from "./typedCore";

const NOTES = "## What is new\n\n- Faster search\n- **Signed** updates";

export function createUpdates(params: URLSearchParams) {
  const version = params.get("update");
  const failure = params.get("updateFail") as ErrorCode | null;
  const update: UpdateInfo | null = version
    ? { version, currentVersion: "0.1.0", publishedAt: Date.UTC(2026, 0, 15), notes: NOTES }
    : null;
  let found: UpdateInfo | null = null;

  return {
    appVersion: () => ({ version: "0.1.0", installable: true }),
    checkForUpdate: () => (found = update),
    foundUpdate: () => found,
    installUpdate: async (channel) => {
      if (!found) return fail("no_update", "no update was found: check first");
      const sender = channelSender(channel);
      const total = 4_000_000;
      for (let downloaded = 1_000_000; downloaded <= total; downloaded += 1_000_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sender.send({ event: "progress", data: { downloaded, total } });
      }
      found = null;
      if (failure) return fail(failure, `the update failed (${failure})`);
      sender.send({ event: "installing" });
      return null;
    },
  } satisfies Partial<CoreHandlers>;
}
