import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { i18n } from "../../../i18n";
import type { ActiveStream, Spending, Stats } from "../../../ipc";
import { appError, mockCore } from "../../../test/core";
import { conversation, message } from "../../../test/fixtures";
import { AdminDialog } from "../components/AdminDialog";
import { useAdmin } from "../store/adminStore";
import { useJumpStore } from "../../chat/store/jumpStore";

const none: Spending = { amounts: [], unpriced: 0 };

function spent(usd: number | null, cny: number | null, unpriced = 0): Spending {
  const amounts = [];
  if (cny !== null) amounts.push({ currency: "CNY", amount: cny });
  if (usd !== null) amounts.push({ currency: "USD", amount: usd });
  return { amounts, unpriced };
}

function statsFor(days: number): Stats {
  const perDay = Array.from({ length: days }, (_, i) => ({
    date: `2026-11-${String(i + 1).padStart(2, "0")}`,
    start: i,
    usage: {
      messages: i === 1 ? 12 : 3,
      promptTokens: 100,
      completionTokens: 50,
      errors: i === 1 ? 2 : 0,
    },
    // Dollars every day, yuan on the second day only; the second day's failures have no cost.
    cost: i === 1 ? spent(0.5, 3, 2) : spent(0.25, null),
  }));
  return {
    since: 0,
    totals: {
      conversations: 7,
      messages: 1234,
      promptTokens: 56000,
      completionTokens: 7800,
      reasoningTokens: 900,
      errors: 5,
      cost: spent(12.5, 30, 1394),
    },
    perDay,
    perAgent: [
      {
        agentId: "a1",
        name: "Writer",
        usage: { messages: 20, promptTokens: 10, completionTokens: 5, errors: 1 },
        cost: spent(1.75, 3, 1),
      },
      {
        agentId: null,
        name: null,
        usage: { messages: 4, promptTokens: 1, completionTokens: 1, errors: 0 },
        cost: none,
      },
    ],
    perModel: [
      {
        model: "gpt-4o-mini",
        usage: { messages: 24, promptTokens: 11, completionTokens: 6, errors: 1 },
        cost: spent(1.75, null),
      },
    ],
    recentErrors: [
      {
        messageId: "m3",
        conversationId: "c9",
        seq: 3,
        conversationTitle: "Broken one",
        createdAt: 0,
        errorCode: "rate_limited",
        message: "HTTP 429: slow down",
      },
    ],
  };
}

function open() {
  useAdmin.setState({ open: true });
  return render(<AdminDialog />);
}

describe("statistics page", () => {
  it("shows the totals, a labelled bar per day and the breakdowns; a period asks again", async () => {
    const core = mockCore({ getStats: (days) => statsFor(days) });
    const user = userEvent.setup();
    open();

    const totals = await screen.findByTestId("admin-totals");
    expect(within(totals).getByText("Messages").nextSibling).toHaveTextContent("1,234");
    expect(within(totals).getByText("Tokens in").nextSibling).toHaveTextContent("56,000");
    const messagesChart = screen.getByRole("list", { name: /Messages per day/ });
    expect(within(messagesChart).getAllByRole("listitem")).toHaveLength(30);
    expect(
      within(messagesChart).getByRole("listitem", { name: /12 messages, 2 failed/ }),
    ).toBeInTheDocument();
    expect(within(screen.getByTestId("admin-per-agent")).getByText("Writer")).toBeInTheDocument();
    expect(within(screen.getByTestId("admin-per-agent")).getByText("No agent")).toBeInTheDocument();
    expect(
      within(screen.getByTestId("admin-per-model")).getByText("gpt-4o-mini"),
    ).toBeInTheDocument();

    await user.click(screen.getByRole("radio", { name: "Last 7 days" }));
    await waitFor(() =>
      expect(
        within(screen.getByRole("list", { name: /Messages per day/ })).getAllByRole("listitem"),
      ).toHaveLength(7),
    );
    expect(core.calls.filter((c) => c.cmd === "get_stats").map((c) => c.args.days)).toEqual([
      30, 7,
    ]);
  });

  it("shows cost per currency: all time, per day, per agent and per model", async () => {
    mockCore({ getStats: (days) => statsFor(days) });
    const user = userEvent.setup();
    open();

    // All time: one line per currency, never a sum of the two, and the replies of unknown cost.
    const totals = await screen.findByTestId("admin-totals");
    const cost = within(totals).getByText("Cost").nextSibling as HTMLElement;
    expect(within(cost).getByText("CN¥30.00")).toBeInTheDocument();
    expect(within(cost).getByText("$12.50")).toBeInTheDocument();
    expect(within(totals).getByText("Tokens out").nextSibling).toHaveTextContent(
      /^7,800\s*of which 900 reasoning$/,
    );
    expect(screen.getByTestId("admin-unpriced")).toHaveTextContent(
      "1,394 replies have no known cost",
    );

    // Per day: a chart per currency, and the period's sums: 30 days of 25¢ and one of 50¢.
    const perDay = screen.getByTestId("admin-cost-per-day");
    const dollars = within(perDay).getByRole("list", { name: "Cost per day in USD" });
    expect(within(dollars).getAllByRole("listitem")).toHaveLength(30);
    expect(within(dollars).getByRole("listitem", { name: "11/2: $0.50" })).toBeInTheDocument();
    const yuan = within(perDay).getByRole("list", { name: "Cost per day in CNY" });
    expect(within(yuan).getByRole("listitem", { name: "11/1: CN¥0.00" })).toBeInTheDocument();
    expect(perDay).toHaveTextContent("This period: CN¥3.00 · $7.75 · 2 replies of unknown cost");

    // Per agent and model: a line per currency, the unknown counted, nothing known as a dash.
    const [writer, noAgent] = within(screen.getByTestId("admin-per-agent"))
      .getAllByRole("row")
      .slice(1);
    expect(writer).toHaveTextContent(/CN¥3\.00\s*\$1\.75\s*1 unknown$/);
    expect(noAgent).toHaveTextContent(/—$/);
    expect(within(screen.getByTestId("admin-per-model")).getAllByRole("row")[1]).toHaveTextContent(
      /\$1\.75$/,
    );

    // In Chinese too.
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(within(screen.getByTestId("admin-totals")).getByText("费用")).toBeInTheDocument();
    expect(screen.getByTestId("admin-unpriced")).toHaveTextContent("1,394 条回复的费用未知");
    expect(screen.getByRole("list", { name: "每日费用（USD）" })).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "最近 7 天" }));
    await waitFor(() =>
      expect(screen.getByTestId("admin-cost-per-day")).toHaveTextContent(
        "本时间段：¥3.00 · US$2.00 · 2 条回复费用未知",
      ),
    );
  });

  it("says so when no reply of the period has a known cost", async () => {
    const stats = statsFor(7);
    const unknown = (day: Stats["perDay"][number]) => ({
      ...day,
      cost: { amounts: [], unpriced: 3 },
    });
    mockCore({
      getStats: () => ({
        ...stats,
        perDay: stats.perDay.map(unknown),
        totals: { ...stats.totals, cost: none },
      }),
    });
    open();
    const perDay = await screen.findByTestId("admin-cost-per-day");
    expect(within(perDay).queryByRole("list")).not.toBeInTheDocument();
    expect(perDay).toHaveTextContent(
      "No reply in this period has a known cost. · 21 replies of unknown cost",
    );
    expect(
      within(screen.getByTestId("admin-totals")).getByText("Cost").nextSibling,
    ).toHaveTextContent("—");
    expect(screen.queryByTestId("admin-unpriced")).not.toBeInTheDocument();
  });

  it("says why the figures could not be read, and tries again", async () => {
    let fail = true;
    mockCore({
      getStats: () => (fail ? appError("database", "disk I/O error") : statsFor(30)),
    });
    const user = userEvent.setup();
    open();

    const error = await screen.findByTestId("admin-stats-error");
    expect(error).toHaveTextContent("disk I/O error");
    fail = false;
    await user.click(within(error).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("admin-totals")).toBeInTheDocument();
  });

  it("lists the replies streaming now and stops one; lists recent errors", async () => {
    let streams: ActiveStream[] = [
      { streamId: "s1", conversationId: "c1", startedAt: 0, receivedBytes: 2048 },
    ];
    const core = mockCore({
      getStats: () => statsFor(30),
      listActiveStreams: () => streams,
      cancelStream: () => {
        streams = [];
        return null;
      },
      getConversation: () => ({
        conversation: conversation({ id: "c9", title: "Broken one" }),
        messages: [1, 2, 3].map((seq) =>
          message({
            id: `m${seq}`,
            conversationId: "c9",
            seq,
            role: seq === 2 ? "user" : "assistant",
          }),
        ),
        hasMore: false,
      }),
      getConversationAgent: () => null,
    });
    const user = userEvent.setup();
    open();
    await user.click(screen.getByRole("tab", { name: "Activity" }));

    const row = await screen.findByTestId("admin-stream");
    expect(row).toHaveTextContent("2 kB received");
    await user.click(within(row).getByRole("button", { name: "Stop" }));
    await waitFor(() => expect(screen.queryByTestId("admin-stream")).not.toBeInTheDocument());
    expect(core.calls.find((c) => c.cmd === "cancel_stream")?.args).toEqual({ streamId: "s1" });
    expect(screen.getByText("No reply is streaming.")).toBeInTheDocument();

    const error = screen.getByTestId("admin-error");
    expect(error).toHaveTextContent("Rate limited");
    expect(error).toHaveTextContent("HTTP 429: slow down");

    // The title opens the conversation at the failed reply.
    await user.click(within(error).getByRole("button", { name: "Broken one" }));
    await waitFor(() =>
      expect(useJumpStore.getState().target).toMatchObject({ conversationId: "c9", seq: 3 }),
    );
    expect(core.calls.find((c) => c.cmd === "get_conversation")?.args).toMatchObject({ id: "c9" });
    expect(useAdmin.getState().open).toBe(false);
  });
});
