import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { KnowledgeBaseInput, KnowledgeSource, Provider } from "../../../ipc";
import { invalidInput, mockCore, problem } from "../../../test/core";
import { KnowledgeDialog } from "../components/KnowledgeDialog";
import { useKnowledge } from "../store/knowledgeStore";
import { knowledgeBase, knowledgeFile, quietBase } from "./fixtures";

const sentInput = (core: ReturnType<typeof mockCore>, cmd: string) =>
  core.calls.find((c) => c.cmd === cmd)?.args.input as KnowledgeBaseInput;

const provider = (id: string, name: string): Provider => ({
  id,
  name,
  kind: "openai-compatible",
  baseUrl: "https://api.example.com/v1",
  defaultModel: "gpt-4o-mini",
  extraHeaders: {},
  secretHeaders: {},
  keySet: true,
  createdAt: 0,
  updatedAt: 0,
});

describe("knowledge bases page", () => {
  beforeEach(() => useKnowledge.setState({ open: true, status: "idle", bases: [] }));

  it("creates a keyword-only base after checking the form, and the core's refusal lands at its field", async () => {
    let created = 0;
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [],
      listProviders: () => [provider("p1", "OpenAI")],
      createKnowledgeBase: (input) =>
        ++created === 1
          ? invalidInput(problem("name", "taken", { value: input.name }))
          : knowledgeBase({ id: "kb9", name: input.name, providerId: null, embeddingModel: "" }),
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    expect(await screen.findByTestId("kb-none")).toBeInTheDocument();
    await user.clear(screen.getByTestId("kb-topK"));
    await user.click(screen.getByTestId("kb-save"));
    expect(screen.getByTestId("kb-error-name")).toHaveTextContent("Enter a name.");
    expect(screen.getByTestId("kb-error-topK")).toHaveTextContent("from 1 to 50");
    expect(core.calls.some((c) => c.cmd === "create_knowledge_base")).toBe(false);

    // With no provider the model cannot be typed: the base searches by keywords.
    expect(screen.getByTestId("kb-embeddingModel")).toBeDisabled();
    await user.type(screen.getByTestId("kb-name"), "Manuals");
    await user.type(screen.getByTestId("kb-topK"), "8");
    await user.click(screen.getByTestId("kb-save"));
    expect(await screen.findByTestId("kb-error-name")).toHaveTextContent(
      "“Manuals” is already the name of another knowledge base.",
    );

    await user.click(screen.getByTestId("kb-save"));
    expect(await screen.findByTestId("kb-item")).toHaveTextContent("Manuals");
    expect(sentInput(core, "create_knowledge_base")).toEqual({
      name: "Manuals",
      providerId: null,
      embeddingModel: "",
      rerankModel: null,
      chunkTokens: 400,
      chunkOverlap: 60,
      topK: 8,
      contextTokens: 2000,
      indexImages: false,
    });
  });

  it("asks before a new embedding model re-embeds every file, and saves only once told to", async () => {
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase()],
      listProviders: () => [provider("p1", "OpenAI")],
      updateKnowledgeBase: (id, input) => knowledgeBase({ id, ...input }),
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    const model = await screen.findByTestId("kb-embeddingModel");
    await user.clear(model);
    await user.type(model, "jina-embeddings-v4");
    await user.click(screen.getByTestId("kb-save"));
    expect(screen.getByTestId("kb-reembed")).toHaveTextContent("all 3 files are embedded again");
    expect(core.calls.some((c) => c.cmd === "update_knowledge_base")).toBe(false);

    await user.click(screen.getByTestId("kb-reembed-confirm"));
    await waitFor(() =>
      expect(sentInput(core, "update_knowledge_base").embeddingModel).toBe("jina-embeddings-v4"),
    );
    expect(screen.queryByTestId("kb-reembed")).not.toBeInTheDocument();
  });

  it("saves other settings without asking", async () => {
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase()],
      listProviders: () => [provider("p1", "OpenAI")],
      updateKnowledgeBase: (id, input) => knowledgeBase({ id, ...input }),
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    const topK = await screen.findByTestId("kb-topK");
    await user.clear(topK);
    await user.type(topK, "3");
    await user.click(screen.getByTestId("kb-save"));
    await waitFor(() => expect(sentInput(core, "update_knowledge_base").topK).toBe(3));
    expect(screen.queryByTestId("kb-reembed")).not.toBeInTheDocument();
  });

  it("lists files with their status and why one has no text or failed, filtered by status", async () => {
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [
        knowledgeBase({
          counts: { files: 3, indexed: 1, pending: 0, noText: 1, failed: 1, chunks: 4, bytes: 1 },
        }),
      ],
      listKnowledgeFiles: (_kb, status) => {
        const files = [
          knowledgeFile({ id: 1, path: "/docs/guide.pdf" }),
          knowledgeFile({
            id: 2,
            path: "/docs/scan.pdf",
            status: "no_text",
            error: "scanned_document",
          }),
          knowledgeFile({ id: 3, path: "/docs/old.pdf", status: "failed", error: "provider_auth" }),
        ].filter((f) => status === null || f.status === status);
        return { files, total: files.length };
      },
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    const files = await screen.findAllByTestId("kb-file");
    expect(files).toHaveLength(3);
    expect(within(files[1]!).getByTestId("kb-file-reason")).toHaveTextContent(
      "no text found — a scanned PDF?",
    );
    expect(within(files[2]!).getByTestId("kb-file-reason")).toHaveTextContent(
      "the provider rejected the API key",
    );

    await user.click(screen.getByTestId("kb-filter-no_text"));
    await waitFor(() => expect(screen.getAllByTestId("kb-file")).toHaveLength(1));
    expect(screen.getByTestId("kb-file")).toHaveTextContent("scan.pdf");
    expect(core.calls.at(-1)).toEqual({
      cmd: "list_knowledge_files",
      args: { kbId: "kb1", status: "no_text", offset: 0, limit: 50 },
    });
  });

  it("adds a folder chosen in the system's dialog, and nothing when the dialog is cancelled", async () => {
    let chosen: string[] = [];
    const sources: KnowledgeSource[] = [];
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase()],
      listKnowledgeSources: () => sources,
      chooseKnowledgePaths: () => chosen,
      addKnowledgeSource: (_kb, path) => {
        const source = { id: "s2", path, isFolder: true, watch: true, files: 0 };
        sources.push(source);
        return source;
      },
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    await user.click(await screen.findByTestId("kb-add-folder"));
    await waitFor(() =>
      expect(core.calls.some((c) => c.cmd === "choose_knowledge_paths")).toBe(true),
    );
    expect(core.calls.some((c) => c.cmd === "add_knowledge_source")).toBe(false);

    chosen = ["/home/ana/Handbook"];
    await user.click(screen.getByTestId("kb-add-folder"));
    expect(await screen.findByTestId("kb-source")).toHaveTextContent("/home/ana/Handbook");
    expect(core.calls.find((c) => c.cmd === "choose_knowledge_paths")?.args).toEqual({
      folders: true,
    });
  });

  it("deletes a base after confirming, naming the space it frees", async () => {
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase()],
      deleteKnowledgeBase: () => null,
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    await user.click(await screen.findByTestId("kb-delete"));
    expect(screen.getByText(/Delete “Manuals” and its index \(90 kB\)\?/)).toBeInTheDocument();
    await user.click(screen.getByTestId("kb-delete-confirm"));
    expect(await screen.findByTestId("kb-none")).toBeInTheDocument();
    expect(core.calls.filter((c) => c.cmd === "delete_knowledge_base")).toEqual([
      { cmd: "delete_knowledge_base", args: { id: "kb1" } },
    ]);
  });
});
