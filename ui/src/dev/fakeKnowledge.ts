/**
 * The fake core's knowledge bases (see `fakeCore.ts`), kept in memory. Two samples: a
 * folder of printer manuals with an embedding model, indexing when the page opens (one file
 * a few hundred milliseconds, one scanned PDF with no text and one damaged file among them),
 * and a keyword-only base of one Markdown file. `&embedDown`: the vector search fails.
 */
import type {
  FileStatus,
  KnowledgeBase,
  KnowledgeBaseInput,
  KnowledgeFile,
  KnowledgeHit,
  KnowledgeSource,
  Part,
  RunState,
} from "../bindings";
import {
  isImagePath,
  MANUALS,
  MANUAL_FILES,
  NOTES,
  citationOf,
  outcomeOf,
  passagesOf,
  rank,
  sampleInputs,
  FOLDER_FILES,
  type Outcome,
} from "./fakeKnowledgeSamples";
import { problem, refuse } from "./fakeProblems";
import { rejectWith as fail, type CoreHandlers } from "./typedCore";

/** How long the fake takes per file while a base indexes. */
const FILE_MS = 350;

/** A base's settings, every one given (as the core fills in what the input leaves out). */
type Settings = Required<KnowledgeBaseInput>;

function settingsOf(input: KnowledgeBaseInput): Settings {
  return {
    name: input.name,
    providerId: input.providerId,
    embeddingModel: input.embeddingModel ?? "",
    rerankModel: input.rerankModel ?? null,
    chunkTokens: input.chunkTokens ?? 400,
    chunkOverlap: input.chunkOverlap ?? 60,
    topK: input.topK ?? 5,
    contextTokens: input.contextTokens ?? 2000,
    indexImages: input.indexImages ?? false,
  };
}

interface FakeFile extends KnowledgeFile {
  /** What the file becomes once the run reaches it. */
  outcome: Outcome;
}

interface Run {
  state: RunState;
  /** Files done when the current stretch of running began, and when that was. */
  doneAt: number;
  since: number;
  stoppedBy: string | null;
}

interface FakeBase {
  base: Omit<KnowledgeBase, "counts">;
  sources: KnowledgeSource[];
  files: FakeFile[];
  run: Run;
}

export function createKnowledge(chinese: boolean, params: URLSearchParams, now: number) {
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}-${++seq}`;
  const bases: FakeBase[] = [];
  const passages = passagesOf(chinese);
  // The browser tests read which files a source's Open asked for.
  const opened: string[] = [];
  Object.assign(window, { __fakeOpenedFiles: opened });
  const agentBases = new Map<string, string[]>();
  const conversationBases = new Map<string, string[]>();

  const newFiles = (sourceId: string, paths: string[], at: number): FakeFile[] =>
    paths.map((path, i) => ({
      id: ++seq,
      sourceId,
      path,
      size: 20_000 + ((i * 7919) % 900_000),
      status: "pending",
      error: null,
      chunks: 0,
      updatedAt: at,
      image: isImagePath(path),
      outcome: outcomeOf(path.split("/").pop() ?? path),
    }));

  const newBase = (input: Settings, at: number): FakeBase => ({
    base: {
      id: nextId("kb"),
      ...input,
      dimensions: input.providerId ? 1536 : null,
      paused: false,
      createdAt: at,
      updatedAt: at,
    },
    sources: [],
    files: [],
    run: { state: "idle", doneAt: 0, since: at, stoppedBy: null },
  });

  /** Brings a running base's files up to the time now. */
  const advance = (kb: FakeBase) => {
    const { run } = kb;
    if (run.state !== "running") return;
    const done = Math.min(
      kb.files.length,
      run.doneAt + Math.floor((Date.now() - run.since) / FILE_MS),
    );
    kb.files.forEach((file, i) => {
      if (i < done && file.status === "pending") Object.assign(file, file.outcome);
    });
    if (done >= kb.files.length) run.state = "idle";
  };
  const start = (kb: FakeBase) => {
    advance(kb);
    const done = kb.files.filter((f) => f.status !== "pending").length;
    kb.run = {
      state: kb.base.paused ? "paused" : "running",
      doneAt: done,
      since: Date.now(),
      stoppedBy: null,
    };
  };
  const view = (kb: FakeBase): KnowledgeBase => {
    advance(kb);
    const count = (status: FileStatus) => kb.files.filter((f) => f.status === status).length;
    return {
      ...kb.base,
      counts: {
        files: kb.files.length,
        indexed: count("indexed"),
        pending: count("pending"),
        noText: count("no_text"),
        failed: count("failed"),
        chunks: kb.files.reduce((n, f) => n + f.chunks, 0),
        bytes: kb.files.reduce((n, f) => n + (f.status === "indexed" ? f.size / 4 : 0), 0),
      },
    };
  };
  const find = (id: string) => bases.find((kb) => kb.base.id === id);
  const missing = (id: string) => fail("not_found", `no knowledge base ${id}`);
  /** Runs `f` on the base `id`, or refuses as the core does when there is none. */
  const onBase = <T>(id: string, f: (kb: FakeBase) => T): T | Promise<never> => {
    const kb = find(id);
    return kb ? f(kb) : missing(id);
  };

  /** Adds a source of `paths` (pending) to `kb`. */
  const addSource = (kb: FakeBase, path: string, isFolder: boolean, paths: string[]) => {
    const source = { id: nextId("src"), path, isFolder, watch: isFolder, files: paths.length };
    kb.sources.push(source);
    kb.files.push(...newFiles(source.id, paths, Date.now()));
    return source;
  };

  // The samples: the manuals index when the page opens, the notes are done.
  const [manualsInput, notesInput] = sampleInputs(chinese);
  const manuals = newBase(manualsInput, now - 86_400_000);
  addSource(
    manuals,
    MANUALS,
    true,
    MANUAL_FILES.map((name) => `${MANUALS}/${name}`),
  );
  manuals.files.slice(0, 5).forEach((f) => Object.assign(f, f.outcome));
  manuals.run = { state: "running", doneAt: 5, since: now, stoppedBy: null };
  const notes = newBase(notesInput, now - 3 * 86_400_000);
  addSource(notes, NOTES, false, [NOTES]);
  notes.files.forEach((f) => Object.assign(f, f.outcome));
  bases.push(manuals, notes);

  const validate = (input: Settings, id: string | null) => {
    const problems = [];
    const name = input.name.trim();
    if (name === "") problems.push(problem("name", "required"));
    else if (bases.some((kb) => kb.base.name === name && kb.base.id !== id))
      problems.push(problem("name", "taken", { value: name }));
    if (input.providerId && input.embeddingModel.trim() === "")
      problems.push(problem("embeddingModel", "required"));
    if (input.chunkTokens < 50 || input.chunkTokens > 4000)
      problems.push(problem("chunkTokens", "out_of_range", { min: 50, max: 4000 }));
    if (input.chunkOverlap < 0 || input.chunkOverlap >= input.chunkTokens)
      problems.push(
        problem("chunkOverlap", "out_of_range", { min: 0, max: input.chunkTokens - 1 }),
      );
    if (input.topK < 1 || input.topK > 50)
      problems.push(problem("topK", "out_of_range", { min: 1, max: 50 }));
    return problems;
  };

  const search = (kb: FakeBase, query: string, limit: number): KnowledgeHit[] => {
    const paths = new Set(kb.files.filter((f) => f.status === "indexed").map((f) => f.path));
    const via =
      kb.base.providerId && !params.has("embedDown") ? ["keyword", "vector"] : ["keyword"];
    return rank(passages, query, limit)
      .filter(({ passage }) => paths.has(passage.path))
      .map(({ passage, index, score }) => ({
        chunkId: index + 1,
        kbId: kb.base.id,
        ...passage,
        image: passage.image ?? false,
        score,
        via,
      }));
  };

  const handlers = {
    listKnowledgeBases: () => bases.map(view),
    createKnowledgeBase: (given) => {
      const input = settingsOf(given);
      const problems = validate(input, null);
      if (problems.length > 0) return refuse(fail, ...problems);
      const kb = newBase({ ...input, name: input.name.trim() }, Date.now());
      bases.push(kb);
      return view(kb);
    },
    updateKnowledgeBase: (id, given) =>
      onBase(id, (kb) => {
        const input = settingsOf(given);
        const problems = validate(input, id);
        if (problems.length > 0) return refuse(fail, ...problems);
        const reembed =
          kb.base.providerId !== input.providerId ||
          kb.base.embeddingModel !== input.embeddingModel;
        kb.base = { ...kb.base, ...input, name: input.name.trim(), updatedAt: Date.now() };
        if (reembed && kb.files.length > 0) {
          kb.files.forEach((f) => Object.assign(f, { status: "pending", error: null, chunks: 0 }));
          start(kb);
        }
        return view(kb);
      }),
    deleteKnowledgeBase: (id) => {
      const index = bases.findIndex((kb) => kb.base.id === id);
      if (index < 0) return missing(id);
      bases.splice(index, 1);
      return null;
    },
    listKnowledgeSources: (kbId) => {
      const kb = find(kbId);
      return kb ? kb.sources : missing(kbId);
    },
    addKnowledgeSource: (kbId, path) =>
      onBase(kbId, (kb) => {
        if (kb.sources.some((s) => s.path === path))
          return refuse(fail, problem("path", "duplicate"));
        const isFolder = !/\.\w+$/.test(path);
        const names = isFolder ? FOLDER_FILES.map((name) => `${path}/${name}`) : [path];
        advance(kb);
        const source = addSource(kb, path, isFolder, names);
        start(kb);
        return source;
      }),
    removeKnowledgeSource: (kbId, sourceId) =>
      onBase(kbId, (kb) => {
        advance(kb);
        kb.sources = kb.sources.filter((s) => s.id !== sourceId);
        kb.files = kb.files.filter((f) => f.sourceId !== sourceId);
        start(kb);
        if (kb.files.every((f) => f.status !== "pending")) kb.run.state = "idle";
        return null;
      }),
    setKnowledgeSourceWatch: (kbId, sourceId, watch) => {
      const source = find(kbId)?.sources.find((s) => s.id === sourceId);
      if (!source) return fail("not_found", `no source ${sourceId}`);
      source.watch = watch;
      return null;
    },
    chooseKnowledgePaths: (folders) => {
      if (params.has("dialogCancel")) return [];
      return folders
        ? ["/Users/ana/Documents/Handbook"]
        : ["/Users/ana/Downloads/report.pdf", "/Users/ana/Downloads/minutes.docx"];
    },
    listKnowledgeFiles: (kbId, status, offset, limit) =>
      onBase(kbId, (kb) => {
        advance(kb);
        const files = kb.files.filter((f) => status === null || f.status === status);
        return {
          files: files.slice(offset, offset + limit).map(({ outcome: _, ...file }) => file),
          total: files.length,
        };
      }),
    knowledgeProgress: (kbId) =>
      onBase(kbId, (kb) => {
        advance(kb);
        const done = kb.files.filter((f) => f.status !== "pending").length;
        const current =
          kb.run.state === "running"
            ? (kb.files.find((f) => f.status === "pending")?.path ?? null)
            : null;
        return {
          kbId,
          state: kb.run.state,
          done,
          total: kb.files.length,
          current,
          stoppedBy: kb.run.stoppedBy,
        };
      }),
    pauseKnowledge: (kbId) =>
      onBase(kbId, (kb) => {
        advance(kb);
        kb.base.paused = true;
        if (kb.run.state === "running") kb.run.state = "paused";
        return null;
      }),
    resumeKnowledge: (kbId) =>
      onBase(kbId, (kb) => {
        kb.base.paused = false;
        if (kb.files.some((f) => f.status === "pending")) start(kb);
        return null;
      }),
    cancelKnowledge: (kbId) =>
      onBase(kbId, (kb) => {
        // As the core does: stopped at once, the rest left pending until resumed.
        advance(kb);
        kb.base.paused = true;
        if (kb.files.some((f) => f.status === "pending")) kb.run.state = "paused";
        return null;
      }),
    reindexKnowledge: (kbId) =>
      onBase(kbId, (kb) => {
        kb.files.forEach((f) => Object.assign(f, { status: "pending", error: null, chunks: 0 }));
        start(kb);
        return null;
      }),
    searchKnowledge: (kbId, query, limit) =>
      onBase(kbId, (kb) => {
        const hits = search(kb, query, limit);
        if (!kb.base.providerId) return { hits, semantic: false, semanticError: null };
        return params.has("embedDown")
          ? { hits, semantic: false, semanticError: "network: could not reach api.openai.com" }
          : { hits, semantic: true, semanticError: null };
      }),
    agentKnowledge: (agentId) => agentBases.get(agentId) ?? [],
    setAgentKnowledge: (agentId, kbIds) => {
      agentBases.set(agentId, kbIds);
      return null;
    },
    conversationKnowledge: (conversationId) => conversationBases.get(conversationId) ?? [],
    setConversationKnowledge: (conversationId, kbIds) => {
      conversationBases.set(conversationId, kbIds);
      return null;
    },
    openKnowledgeFile: (path) => {
      if (!bases.some((kb) => kb.files.some((f) => f.path === path)))
        return fail("not_found", `${path} is not a file of a knowledge base`);
      opened.push(path);
      return null;
    },
  } satisfies Partial<CoreHandlers>;

  /**
   * What a reply in the conversation retrieves before it is written: the first passages
   * of the bases its agent and it use, as the `retrieved` event carries them.
   */
  const retrievedOf = (conversationId: string, agentId: string | null): Part[] => {
    const ids = [
      ...(agentId ? (agentBases.get(agentId) ?? []) : []),
      ...(conversationBases.get(conversationId) ?? []),
    ];
    const used = bases.filter((kb) => ids.includes(kb.base.id));
    if (used.length === 0) return [];
    const paths = new Set(used.flatMap((kb) => kb.files.map((f) => f.path)));
    const found = passages.filter((p) => paths.has(p.path)).slice(0, 2);
    return [
      { type: "retrieval", bases: used.map((kb) => kb.base.name), passages: found.length },
      ...found.map(citationOf),
    ];
  };

  return { handlers, retrievedOf, opened, firstBaseName: manuals.base.name };
}
