import { describe, expect, it } from "vitest";
import { mockCore } from "../../../test/core";
import { conversation } from "../../../test/fixtures";
import { useConversationsStore } from "../store/conversationsStore";
import type { Conversation } from "../../../ipc";

describe("conversation titles", () => {
  it("a list fetched before a generated title arrived does not put the old title back", async () => {
    const stale = conversation({ id: "c1", title: "What is Confab?" });
    let answer: (value: Conversation[]) => void = () => {};
    mockCore({
      listConversations: () => new Promise((resolve) => (answer = resolve)),
    });
    useConversationsStore.setState({ items: [stale], status: "ready" });

    // A refresh after `done` is under way when the generated title comes in.
    const refresh = useConversationsStore.getState().load({ quiet: true });
    useConversationsStore.getState().setTitle("c1", "Confab overview");
    answer([stale]);
    await refresh;

    expect(useConversationsStore.getState().items[0]?.title).toBe("Confab overview");
  });

  it("a later list is taken as it is", async () => {
    useConversationsStore.getState().setTitle("c2", "Old name");
    mockCore({
      listConversations: () => [conversation({ id: "c2", title: "Renamed elsewhere" })],
    });
    await useConversationsStore.getState().load();
    expect(useConversationsStore.getState().items[0]?.title).toBe("Renamed elsewhere");
  });
});
