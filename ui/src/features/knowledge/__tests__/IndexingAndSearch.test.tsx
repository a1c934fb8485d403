import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { KnowledgeProgress, KnowledgeSearch as Found } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { IndexingPanel } from "../components/IndexingPanel";
import { KnowledgeSearch } from "../components/KnowledgeSearch";
import { IDLE_POLL_MS, PROGRESS_POLL_MS } from "../store/useIndexing";
import { knowledgeBase, progress } from "./fixtures";

const hit = {
  chunkId: 7,
  kbId: "kb1",
  path: "/docs/setup.pdf",
  title: "Setup Guide",
  page: 3,
  heading: "Setup › Linux",
  text: "Install the CUPS driver first.",
  score: 0.8,
  via: ["keyword", "vector"],
  image: false,
};

describe("indexing", () => {
  afterEach(() => vi.useRealTimers());

  it("polls while it runs, shows the file being read, and polls slowly once done", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let now: KnowledgeProgress = progress({
      state: "running",
      done: 1,
      total: 4,
      current: "/docs/manuals/network.md",
    });
    const core = mockCore({ knowledgeProgress: () => now });
    const onAdvance = vi.fn();
    render(<IndexingPanel base={knowledgeBase()} version={0} onAdvance={onAdvance} />);

    expect(await screen.findByTestId("kb-indexing-count")).toHaveTextContent("1 of 4 files");
    expect(screen.getByTestId("kb-indexing-current")).toHaveTextContent("Reading network.md");
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "1");

    now = { ...now, done: 3, current: "/docs/manuals/faq.md" };
    await act(() => vi.advanceTimersByTimeAsync(PROGRESS_POLL_MS));
    expect(screen.getByTestId("kb-indexing-count")).toHaveTextContent("3 of 4 files");
    expect(onAdvance).toHaveBeenCalledTimes(1);

    now = { ...now, state: "idle", done: 4, current: null };
    await act(() => vi.advanceTimersByTimeAsync(PROGRESS_POLL_MS));
    expect(screen.getByTestId("kb-indexing-state")).toHaveTextContent("Up to date");
    expect(screen.queryByTestId("kb-indexing-current")).not.toBeInTheDocument();
    const reads = core.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(PROGRESS_POLL_MS * 4));
    expect(core.calls).toHaveLength(reads);
    // A watched folder may start a run by itself: it is still noticed, later.
    now = { ...now, state: "running", total: 5, current: "/docs/manuals/new.md" };
    await act(() => vi.advanceTimersByTimeAsync(IDLE_POLL_MS));
    expect(screen.getByTestId("kb-indexing-current")).toHaveTextContent("Reading new.md");
  });

  it("between runs counts the base's files, and says why the last run stopped", async () => {
    mockCore({
      knowledgeProgress: () =>
        progress({ state: "idle", done: 0, total: 0, stoppedBy: "provider_auth" }),
    });
    const base = knowledgeBase({
      counts: { files: 2, indexed: 0, pending: 2, noText: 0, failed: 0, chunks: 0, bytes: 0 },
    });
    render(<IndexingPanel base={base} version={0} onAdvance={() => {}} />);
    expect(await screen.findByTestId("kb-indexing-count")).toHaveTextContent("0 of 2 files");
    expect(screen.getByTestId("kb-stopped-by")).toBeInTheDocument();
    expect(screen.getByTestId("kb-resume")).toBeInTheDocument();
  });

  it("pauses, resumes and cancels with the run's buttons; re-indexes when idle", async () => {
    let now = progress({ state: "running", done: 1, total: 4 });
    const core = mockCore({
      knowledgeProgress: () => now,
      pauseKnowledge: () => {
        now = { ...now, state: "paused" };
        return null;
      },
      resumeKnowledge: () => {
        now = { ...now, state: "running" };
        return null;
      },
      cancelKnowledge: () => {
        now = { ...now, state: "idle", stoppedBy: "cancelled" };
        return null;
      },
      reindexKnowledge: () => {
        now = { ...now, state: "running", done: 0, stoppedBy: null };
        return null;
      },
    });
    const user = userEvent.setup();
    // Between runs the base's counts say where it stands: 3 of 4 files still to index.
    const base = knowledgeBase({
      counts: { files: 4, indexed: 1, pending: 3, noText: 0, failed: 0, chunks: 9, bytes: 9_000 },
    });
    render(<IndexingPanel base={base} version={0} onAdvance={() => {}} />);

    await user.click(await screen.findByTestId("kb-pause"));
    expect(await screen.findByTestId("kb-indexing-state")).toHaveTextContent("Paused");
    await user.click(screen.getByTestId("kb-resume"));
    expect(await screen.findByTestId("kb-pause")).toBeInTheDocument();
    await user.click(screen.getByTestId("kb-cancel"));
    expect(await screen.findByTestId("kb-stopped-by")).toHaveTextContent("Indexing was cancelled");
    // Files are left: it can go on, or start over.
    expect(screen.getByTestId("kb-resume")).toBeInTheDocument();
    await user.click(screen.getByTestId("kb-reindex"));
    await waitFor(() =>
      expect(core.calls.filter((c) => c.cmd !== "knowledge_progress").map((c) => c.cmd)).toEqual([
        "pause_knowledge",
        "resume_knowledge",
        "cancel_knowledge",
        "reindex_knowledge",
      ]),
    );
    expect(core.calls.find((c) => c.cmd === "pause_knowledge")?.args).toEqual({ kbId: "kb1" });
  });

  it("says why indexing stopped when the provider did it", async () => {
    mockCore({
      knowledgeProgress: () => progress({ done: 2, total: 5, stoppedBy: "provider_auth" }),
    });
    render(<IndexingPanel base={knowledgeBase()} version={0} onAdvance={() => {}} />);
    expect(await screen.findByTestId("kb-stopped-by")).toHaveTextContent(
      "Indexing stopped: the provider rejected the API key",
    );
  });
});

describe("search on the page", () => {
  const search = async (result: Found, query = "cups driver") => {
    const core = mockCore({ searchKnowledge: () => result });
    const user = userEvent.setup();
    render(<KnowledgeSearch base={knowledgeBase()} />);
    await user.type(screen.getByTestId("kb-search-input"), `${query}{Enter}`);
    return core;
  };

  it("shows each hit with its title, page, heading and text", async () => {
    const core = await search({ hits: [hit], semantic: true, semanticError: null });
    const found = await screen.findByTestId("kb-hit");
    expect(found).toHaveTextContent("Setup Guide");
    expect(found).toHaveTextContent("p. 3 · Setup › Linux");
    expect(found).toHaveTextContent("Install the CUPS driver first.");
    expect(found).toHaveTextContent("keyword + meaning");
    expect(screen.queryByTestId("kb-search-keyword-only")).not.toBeInTheDocument();
    expect(core.calls).toEqual([
      { cmd: "search_knowledge", args: { kbId: "kb1", query: "cups driver", limit: 10 } },
    ]);
  });

  it("says plainly when the vector search did not run, and why", async () => {
    await search({ hits: [hit], semantic: false, semanticError: "network" });
    expect(await screen.findByTestId("kb-search-keyword-only")).toHaveTextContent(
      "Only keyword search ran: the embedding model could not be asked (the provider could not be reached).",
    );
  });

  it("says when nothing was found", async () => {
    await search({ hits: [], semantic: true, semanticError: null }, "warranty");
    expect(await screen.findByTestId("kb-search-none")).toHaveTextContent(
      "Nothing found for “warranty”.",
    );
  });
});
