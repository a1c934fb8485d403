import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { KnowledgeBaseInput, Provider } from "../../../ipc";
import { mockCore } from "../../../test/core";
import { KnowledgeDialog } from "../components/KnowledgeDialog";
import { isMultimodalModel } from "../components/knowledgeDraft";
import { useKnowledge } from "../store/knowledgeStore";
import { knowledgeBase, knowledgeFile, quietBase } from "./fixtures";

const provider: Provider = {
  id: "p1",
  name: "Jina",
  kind: "openai-compatible",
  baseUrl: "https://api.jina.ai/v1",
  defaultModel: "jina-clip-v2",
  extraHeaders: {},
  secretHeaders: {},
  keySet: true,
  createdAt: 0,
  updatedAt: 0,
};

const sent = (core: ReturnType<typeof mockCore>) =>
  core.calls.find((c) => c.cmd === "update_knowledge_base")?.args.input as KnowledgeBaseInput;

describe("images in a knowledge base", () => {
  beforeEach(() => useKnowledge.setState({ open: true, status: "idle", bases: [] }));

  it("knows the multimodal embedding models by name", () => {
    for (const model of ["jina-clip-v2", "jinaai/jina-clip-v1", "jina-embeddings-v4"])
      expect(isMultimodalModel(model), model).toBe(true);
    for (const model of ["text-embedding-3-small", "bge-m3", ""])
      expect(isMultimodalModel(model), model).toBe(false);
  });

  it("turns image indexing on, saying a text-only model will not do", async () => {
    const core = mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase()],
      listProviders: () => [provider],
      updateKnowledgeBase: (id, input) => knowledgeBase({ id, ...input }),
    });
    const user = userEvent.setup();
    render(<KnowledgeDialog />);

    const toggle = await screen.findByRole("switch", { name: "Index images" });
    expect(toggle).not.toBeChecked();
    expect(screen.getByTestId("kb-indexImages-hint")).toHaveTextContent(
      "Needs a multimodal embedding model, such as jina-clip-v2.",
    );
    await user.click(toggle);
    expect(screen.getByTestId("kb-indexImages-hint")).toHaveTextContent(
      "text-embedding-3-small may embed text only",
    );

    const model = screen.getByTestId("kb-embeddingModel");
    await user.clear(model);
    await user.type(model, "jina-clip-v2");
    expect(screen.getByTestId("kb-indexImages-hint")).not.toHaveTextContent("may embed text only");
    await user.click(screen.getByTestId("kb-save"));
    await user.click(await screen.findByTestId("kb-reembed-confirm"));
    await waitFor(() => expect(sent(core)?.indexImages).toBe(true));
    expect(sent(core).embeddingModel).toBe("jina-clip-v2");
  });

  it("cannot index images without an embedding model", async () => {
    mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase({ providerId: null, embeddingModel: "" })],
    });
    render(<KnowledgeDialog />);
    expect(await screen.findByRole("switch", { name: "Index images" })).toBeDisabled();
  });

  it("marks image files in the list and says why a model refused one", async () => {
    mockCore({
      ...quietBase,
      listKnowledgeBases: () => [knowledgeBase({ indexImages: true })],
      listKnowledgeFiles: () => ({
        files: [
          knowledgeFile({ id: 1, path: "/pics/red.png", image: true }),
          knowledgeFile({
            id: 2,
            path: "/pics/blue.png",
            image: true,
            status: "failed",
            error: "embedding_model_no_images",
            chunks: 0,
          }),
          knowledgeFile({ id: 3, path: "/docs/guide.pdf" }),
        ],
        total: 3,
      }),
    });
    render(<KnowledgeDialog />);

    const files = await screen.findAllByTestId("kb-file");
    expect(within(files[0]!).getByRole("img", { name: "Image" })).toBeInTheDocument();
    expect(within(files[1]!).getByTestId("kb-file-reason")).toHaveTextContent(
      "the embedding model does not take images — choose a multimodal one such as jina-clip-v2",
    );
    expect(within(files[2]!).queryByTestId("kb-file-image")).not.toBeInTheDocument();
  });
});
