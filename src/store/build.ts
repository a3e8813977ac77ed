import { chunkArticle, chunkText, type ChunkOptions } from "../chunk";
import { RemovalRefusedError } from "../domain/errors";
import type { Article, Chunk, Embedder } from "../domain/types";
import { acquireBuildLock } from "./build-lock";
import { CorpusIndex } from "./corpus-index";
import { readManifest, readStoredVectors, saveIndex, sweepLeftovers, type SaveOptions } from "./disk";
import { LexicalIndex } from "./lexical";
import { FORMAT_VERSION, type Manifest } from "./manifest";
import { VectorIndex, type HnswParams } from "./vector-index";
import { Vocabulary } from "./vocabulary";

export interface BuildProgress {
  phase: "chunk" | "embed" | "index" | "save";
  articlesDone: number;
  articlesTotal: number;
  passagesDone: number;
  passagesTotal: number;
}

export interface BuildOptions {
  /** Where the index lives; the previous version there is reused where it can be. */
  dir: string;
  articles: Article[];
  /** `null`: no dense vectors (lexical retrieval only); `denseOffReason` says why. */
  embedder: Embedder | null;
  denseOffReason?: string | null;
  chunking: ChunkOptions;
  hnsw: HnswParams;
  /** Ignore the previous version: re-embed everything. */
  rebuild?: boolean;
  /**
   * Allow a build that removes more than half of the articles of the version in service. Without
   * it such a build throws `RemovalRefusedError` before writing anything: a mistyped corpus path or
   * an emptied folder reads as "every article was deleted", and the bot would serve an empty index.
   */
  allowRemovals?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  save?: SaveOptions;
  /**
   * The caller already holds the folder's build lock (`acquireBuildLock`) and has swept its
   * leftovers. For a build in a worker thread: the lock belongs to the process, so the thread that
   * outlives the build (the one answering readers) takes it, and can still clean up and release it
   * when the worker dies (see src/app/build-thread.ts).
   */
  callerHoldsLock?: boolean;
}

export interface BuildSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  articles: number;
  passages: number;
  /** Passages that went through the model in this run. */
  embedded: number;
  /** Milliseconds spent inside the model. */
  embedMs: number;
  totalMs: number;
  /** False when nothing changed and the version in service was kept. */
  written: boolean;
  index: CorpusIndex | null;
}

/**
 * Builds a new index version from articles and switches to it atomically.
 *
 * Incremental: vectors of articles whose content hash is unchanged (same model, same chunking)
 * are reused from the previous version; only new and changed articles go through the model.
 * When nothing changed, nothing is written.
 *
 * Holds the folder's build lock throughout (another build there meanwhile: `IndexBusyError`), and
 * first removes what killed builds left (`sweepLeftovers`). Refuses, before writing anything, to
 * remove more than half of the indexed articles unless `allowRemovals` (`RemovalRefusedError`).
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  if (options.callerHoldsLock) return buildLocked(options);
  const lock = await acquireBuildLock(options.dir);
  try {
    await sweepLeftovers(options.dir);
    return await buildLocked(options);
  } finally {
    await lock.release();
  }
}

async function buildLocked(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const { articles, embedder, dir } = options;
  // Read even for a rebuild: the removal check compares with what is in service, whatever is reused.
  const served = await readManifest(dir).catch(() => null);
  const previous = options.rebuild ? null : served;
  const comparable =
    previous !== null &&
    previous.formatVersion === FORMAT_VERSION &&
    sameChunking(previous.chunking, options.chunking) &&
    (previous.model?.id ?? null) === (embedder?.modelId ?? null) &&
    (previous.model?.dimensions ?? null) === (embedder?.dimensions ?? null);
  // Vectors are reused only from a comparable version; the counts always describe the change to
  // the version in service (a full rebuild that drops three articles reports "3 removed").
  const before = comparable ? previous.articles : {};
  const servedArticles = served?.articles ?? {};
  const current = new Set(articles.map((a) => a.id));
  const removed = Object.keys(servedArticles).filter((id) => !current.has(id)).length;
  if (removed * 2 > Object.keys(servedArticles).length && !options.allowRemovals) {
    throw new RemovalRefusedError(removed, Object.keys(servedArticles).length, dir);
  }

  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const article of articles) {
    const hash = servedArticles[article.id];
    if (hash === undefined) added++;
    else if (hash === article.contentHash) unchanged++;
    else updated++;
  }
  const emptySummary = { added, updated, removed, unchanged, articles: articles.length, embedded: 0, embedMs: 0 };
  if (comparable && added === 0 && updated === 0 && removed === 0) {
    return { ...emptySummary, passages: 0, totalMs: performance.now() - started, written: false, index: null };
  }

  const report = (phase: BuildProgress["phase"], articlesDone: number, passagesDone: number, passagesTotal: number) =>
    options.onProgress?.({ phase, articlesDone, articlesTotal: articles.length, passagesDone, passagesTotal });

  const chunks: Chunk[] = [];
  const chunkTexts: string[] = [];
  articles.forEach((article, i) => {
    for (const chunk of chunkArticle(article, options.chunking)) {
      chunks.push(chunk);
      chunkTexts.push(chunkText(article, chunk));
    }
    if (i % 200 === 0) report("chunk", i, 0, 0);
  });
  const articleById = new Map(articles.map((a) => [a.id, a]));

  let vectors: { data: Float32Array; index: VectorIndex } | null = null;
  let embedded = 0;
  let embedMs = 0;
  if (embedder) {
    const stored = comparable ? await readStoredVectors(dir, embedder.modelId, embedder.dimensions) : new Map();
    const dims = embedder.dimensions;
    const data = new Float32Array(chunks.length * dims);
    const todo: number[] = [];
    chunks.forEach((chunk, i) => {
      const reusable = before[chunk.articleId] === articleById.get(chunk.articleId)!.contentHash;
      const vector = reusable ? stored.get(chunk.id) : undefined;
      if (vector) data.set(vector, i * dims);
      else todo.push(i);
    });
    // The model sees the title with each passage: "Hữu Lũng" in a title disambiguates its body.
    const inputs = todo.map((i) => `${articleById.get(chunks[i]!.articleId)!.title}\n${chunkTexts[i]}`);
    const t0 = performance.now();
    // Passages are embedded sorted by length, not article by article: articles done is pro rata.
    const fresh = await embedder.embedPassages(inputs, (done) => {
      const passagesDone = chunks.length - todo.length + done;
      report("embed", Math.floor((articles.length * passagesDone) / chunks.length), passagesDone, chunks.length);
    });
    embedMs = performance.now() - t0;
    embedded = fresh.length;
    todo.forEach((chunkIndex, k) => data.set(fresh[k]!, chunkIndex * dims));

    report("index", articles.length, chunks.length, chunks.length);
    const index = VectorIndex.create(dims, options.hnsw, nextCapacity(chunks.length));
    for (let i = 0; i < chunks.length; i++) {
      index.add(i, data.subarray(i * dims, (i + 1) * dims));
      if (i % 2000 === 1999) await yieldToEventLoop();
    }
    vectors = { data, index };
  }

  report("index", articles.length, chunks.length, chunks.length);
  const lexical = await LexicalIndex.build(
    chunks.map((chunk, i) => ({ id: i, title: articleById.get(chunk.articleId)!.title, text: chunkTexts[i]!, ordinal: chunk.ordinal })),
  );
  const articleLexical = await LexicalIndex.build(articles.map((a, i) => ({ id: i, title: a.title, text: a.body, ordinal: 0 })));
  const vocabulary = Vocabulary.build(chunkTexts.map((text, i) => `${articleById.get(chunks[i]!.articleId)!.title}\n${text}`));

  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    buildMs: 0,
    model: embedder
      ? {
          id: embedder.modelId,
          dtype: embedder.dtype,
          dimensions: embedder.dimensions,
          queryPrefix: embedder.queryPrefix,
          passagePrefix: embedder.passagePrefix,
        }
      : null,
    denseOffReason: embedder ? null : (options.denseOffReason ?? "no embedding model"),
    hnsw: { ...options.hnsw, space: "cosine" },
    chunking: { ...options.chunking },
    counts: { articles: articles.length, chunks: chunks.length },
    articles: Object.fromEntries(articles.map((a) => [a.id, a.contentHash])),
  };
  report("save", articles.length, chunks.length, chunks.length);
  manifest.buildMs = Math.round(performance.now() - started);
  const location = await saveIndex(dir, { manifest, articles, chunks, lexical, articleLexical, vocabulary, vectors }, options.save);
  const index = new CorpusIndex(manifest, articles, chunks, lexical, articleLexical, vocabulary, vectors?.index ?? null, location);
  return {
    ...emptySummary,
    passages: chunks.length,
    embedded,
    embedMs,
    totalMs: performance.now() - started,
    written: true,
    index,
  };
}

function sameChunking(a: ChunkOptions, b: ChunkOptions): boolean {
  return a.maxChars === b.maxChars && a.overlapSentences === b.overlapSentences;
}

/** Capacity grows geometrically: the next power of two with room to spare for later additions. */
export function nextCapacity(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1024, Math.ceil(n * 1.25))));
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
