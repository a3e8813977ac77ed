import fs from "node:fs/promises";
import path from "node:path";
import { chunkArticle, type ChunkOptions } from "../chunk";
import { RemovalRefusedError } from "../domain/errors";
import type { Article, Embedder } from "../domain/types";
import { acquireBuildLock } from "./build-lock";
import { CorpusIndex } from "./corpus-index";
import { currentVersion, loadIndex, readBuildManifest, readGraph, readStoredVectors, readTombstones, saveIndex, sweepLeftovers, type FreshSegment, type SaveOptions } from "./disk";
import { FORMAT_VERSION, VECTOR_FORMATS, type BuildManifest, type ManifestHead, type SegmentEntry } from "./manifest";
import { ChunkTable } from "./chunk-table";
import { buildSegment, passageTextsOf, readSegmentArticles, readSegmentIds, SEGMENT_FILES, segmentName, type BuiltSegment } from "./segment";
import { NO_TOMBSTONES, type Tombstones } from "./tombstones";
import { VectorIndex, type HnswParams } from "./vector-index";
import { TermCounter, Vocabulary } from "./vocabulary";

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
  /**
   * Every article of the corpus: in memory, or read from a source as the build needs them (a
   * large archive: see `ArticleSource`); or, for a small change, `changes` instead.
   */
  articles?: Article[] | ArticleSource;
  /**
   * What changed since the version in service, instead of every article: a build that costs time
   * in proportion to the change, not to the archive (one `/add` does not re-read or re-hash the
   * corpus; the manifest holds every other article's id and content hash). Falls back to
   * `changes.all` and a full comparison when the change cannot be one new segment: no
   * comparable version in service, `rebuild`, or a merge is due.
   */
  changes?: ArticleChanges;
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
  /** When an incremental build merges instead (default `MERGE_POLICY`). */
  merge?: Partial<MergePolicy>;
  /** The most articles in one segment of a full build (default `SEGMENT_ARTICLES`). */
  segmentArticles?: number;
  /** The index in service: an incremental build's result shares its segments instead of reading them. */
  previous?: CorpusIndex | null;
  /** False: return no index (the build worker's caller loads it from disk); spares a load after an incremental build. */
  returnIndex?: boolean;
}

/** A change to the corpus in service (see `BuildOptions.changes`). */
export interface ArticleChanges {
  /** New and changed articles, as the corpus walk reads them (an unchanged one is left as it is). */
  upserted: Article[];
  /** Ids of the articles no longer in the corpus (ids not in service are ignored). */
  removed: string[];
  /** Every article of the corpus: read only when the change cannot be one new segment. */
  all: ArticleSource;
}

/**
 * Every article of a corpus, read as often as a build needs rather than held: once for the ids and
 * content hashes (and the few new and changed articles an incremental build adds, when it can be
 * one), once more to build the segments of a full build, a segment's worth at a time. So a build
 * of a 200,000-article archive never holds its texts at once (`readCorpus` reads a file at a time).
 */
export interface ArticleSource {
  /** Every article, in corpus order, each time it is called. */
  read(): AsyncIterable<Article>;
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
  const { embedder, dir, changes } = options;
  if (!options.articles && !changes) throw new TypeError("buildIndex needs `articles` or `changes`");
  const policy = { ...MERGE_POLICY, ...options.merge };
  // Read even for a rebuild: the removal check compares with what is in service, whatever is reused.
  const served = await readBuildManifest(dir).catch(() => null);
  const previous = options.rebuild ? null : served;
  // The same passages, embedded (or not) by the same model: what a version needs to lend its vectors.
  const sameEmbedding =
    previous !== null &&
    sameChunking(previous.chunking, options.chunking) &&
    (previous.model?.id ?? null) === (embedder?.modelId ?? null) &&
    (previous.model?.dimensions ?? null) === (embedder?.dimensions ?? null);
  const comparable = sameEmbedding && previous.formatVersion === FORMAT_VERSION;
  // A change is applied to the version in service only when its segments can be reused; otherwise every article is read.
  const articles = options.articles ?? (comparable ? null : changes!.all);
  // Segments are reused only from a comparable version (vectors also from an older format, below); the counts always describe the change to
  // the version in service (a full rebuild that drops three articles reports "3 removed").
  const servedArticles = served?.articles ?? new Map<string, string>();
  // From a source, new and changed articles are kept only up to the share past which the build merges anyway.
  const keep = comparable ? Math.ceil(policy.share * servedArticles.size) : 0;
  const perSegment = Math.max(1, options.segmentArticles ?? SEGMENT_ARTICLES);
  const target = articles ? await targetOf(articles, servedArticles, { keep, hold: perSegment }) : targetOfChanges(changes!, servedArticles);
  const { hashes } = target;
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [id, hash] of hashes) {
    const before = servedArticles.get(id);
    if (before === undefined) added++;
    else if (before === hash) unchanged++;
    else updated++;
  }
  let removed = 0;
  for (const id of servedArticles.keys()) if (!hashes.has(id)) removed++;
  if (removed * 2 > servedArticles.size && !options.allowRemovals) {
    throw new RemovalRefusedError(removed, servedArticles.size, dir);
  }
  const emptySummary = { added, updated, removed, unchanged, articles: hashes.size, embedded: 0, embedMs: 0 };
  if (comparable && added === 0 && updated === 0 && removed === 0) {
    return { ...emptySummary, passages: 0, totalMs: performance.now() - started, written: false, index: null };
  }

  const report = (phase: BuildProgress["phase"], articlesDone: number, passagesDone: number, passagesTotal: number) =>
    options.onProgress?.({ phase, articlesDone, articlesTotal: hashes.size, passagesDone, passagesTotal });
  const version = comparable ? await currentVersion(dir) : null;
  const incremental = version && previous && target.fresh ? await planIncremental(version, previous, { hashes: target.hashes, fresh: target.fresh }, options.chunking, policy) : null;
  const counts = { ...emptySummary, started, report };
  if (incremental) return buildIncremental(options, version!, previous!, incremental, hashes, counts);
  if (!articles) {
    // A merge is due after a change: every article, read now, and compared with the version in service
    // afresh (the folder may hold other changes, such as a file removed by hand).
    const { changes: _changes, ...rest } = options;
    return buildLocked({ ...rest, articles: changes!.all });
  }
  // Vectors are reused from an older format too, when it embedded the same passages with the same model.
  const vectorsFrom = sameEmbedding && previous.model && VECTOR_FORMATS.has(previous.formatVersion) ? previous : null;
  return buildFull(options, target.all ?? articles, vectorsFrom, counts);
}

/** The version to build: every live article's content hash (corpus order), and the new and changed articles. */
interface Target {
  hashes: Map<string, string>;
  /** Null: more than a source's build keeps (it will be a full build, which reads them again). */
  fresh: Article[] | null;
  /** Every article, when in memory (given so, or a source of at most one segment's worth). */
  all: Article[] | null;
}

/**
 * From a source, at most `keep` new and changed articles are kept, and every article only while
 * they are at most `hold` (a corpus of one segment is read once; see `ArticleSource`).
 */
async function targetOf(articles: Article[] | ArticleSource, served: Map<string, string>, { keep, hold }: { keep: number; hold: number }): Promise<Target> {
  if (Array.isArray(articles)) {
    return { hashes: new Map(articles.map((a) => [a.id, a.contentHash])), fresh: articles.filter((a) => served.get(a.id) !== a.contentHash), all: articles };
  }
  const hashes = new Map<string, string>();
  const fresh: Article[] = [];
  let all: Article[] | null = [];
  let tooMany = false;
  for await (const article of articles.read()) {
    hashes.set(article.id, article.contentHash);
    if (all && all.push(article) > hold) all = null;
    if (tooMany || served.get(article.id) === article.contentHash) continue;
    if (fresh.length < keep) fresh.push(article);
    else [tooMany, fresh.length] = [true, 0];
  }
  return { hashes, fresh: tooMany ? null : fresh, all };
}

/** The version in service with a change applied: its manifest's hashes, less the removed, plus the upserted. */
function targetOfChanges(changes: ArticleChanges, served: Map<string, string>): Target {
  const hashes = new Map(served);
  for (const id of changes.removed) hashes.delete(id);
  const fresh = new Map<string, Article>();
  for (const article of changes.upserted) {
    hashes.set(article.id, article.contentHash);
    if (served.get(article.id) !== article.contentHash) fresh.set(article.id, article);
  }
  return { hashes, fresh: [...fresh.values()], all: null };
}

/** When an incremental build merges instead: the share of the live passages (see `BuildOptions.merge`). */
export interface MergePolicy {
  /**
   * Merge when the passages outside the base segments (the last full build's) plus the tombstoned ones would exceed this
   * share of the live passages: searches then walk more segments, and tombstoned passages still
   * cost in every posting list they are in. A merge is a full lexical build (no model: vectors
   * are reused), so this bounds how often a large archive pays one: at 0.15 and 26,530 articles,
   * once per ~4,000 articles added or changed.
   */
  share: number;
  /** Merge when the version would have more segments than this (each /add writes one). */
  maxSegments: number;
}

export const MERGE_POLICY: MergePolicy = { share: 0.15, maxSegments: 64 };

interface Counts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  articles: number;
  started: number;
  report: (phase: BuildProgress["phase"], articlesDone: number, passagesDone: number, passagesTotal: number) => void;
}

/** What an incremental build adds and tombstones. */
interface Increment {
  /** New and changed articles, in corpus order: the new segment. */
  fresh: Article[];
  tombstones: Tombstones;
  segments: SegmentEntry[];
  /** Per segment name, its newly tombstoned article positions (for the HNSW graph). */
  newlyDead: Map<string, number[]>;
}

/**
 * Decides between a new segment and a merge, and places the tombstones: an article deleted or
 * changed is tombstoned where its live copy is (the last segment holding its id). Reads only the
 * segments' id lists, and the old copies of the tombstoned articles (for their vocabulary counts).
 * Null: merge (a full build) instead.
 */
async function planIncremental(version: string, previous: BuildManifest, target: { hashes: Map<string, string>; fresh: Article[] }, chunking: ChunkOptions, policy: MergePolicy): Promise<Increment | null> {
  if (previous.segments.length + 1 > policy.maxSegments) return null;
  const { fresh, hashes } = target;
  // Deleted or changed: its live copy is tombstoned (a changed one's new copy is in `fresh`).
  const gone = new Set<string>();
  for (const [id, hash] of previous.articles) if (hashes.get(id) !== hash) gone.add(id);
  const old = await readTombstones(version);
  const tombstones: Tombstones = { version: 1, articles: { ...old.articles }, vocabulary: old.vocabulary };
  const segments = previous.segments.map((entry) => ({ ...entry }));
  const newlyDead = new Map<string, number[]>();
  const deadTexts: string[] = [];
  // Nothing deleted or changed (an /add): no segment's ids need reading (200,000 ids are ~20 MiB).
  for (const entry of gone.size > 0 ? segments : []) {
    const folder = path.join(version, entry.name);
    const ids = await readSegmentIds(folder);
    const already = new Set(old.articles[entry.name] ?? []);
    const positions = new Set<number>();
    ids.forEach((id, p) => {
      if (gone.has(id) && !already.has(p)) positions.add(p);
    });
    if (positions.size === 0) continue;
    const oldCopies = await readSegmentArticles(folder, positions);
    const texts = passageTextsOf([...oldCopies.values()], chunking);
    deadTexts.push(...texts);
    entry.deadArticles += positions.size;
    entry.deadChunks += texts.length;
    newlyDead.set(entry.name, [...positions].sort((x, y) => x - y));
    tombstones.articles[entry.name] = [...already, ...positions].sort((x, y) => x - y);
  }
  if (deadTexts.length > 0) tombstones.vocabulary = Vocabulary.addCounts(old.vocabulary, Vocabulary.count(deadTexts));

  const freshChunks = fresh.reduce((n, a) => n + chunkArticle(a, chunking).length, 0);
  const live = segments.reduce((n, e) => n + e.chunks - e.deadChunks, 0) + freshChunks;
  const outsideBase = segments.slice(baseSegmentsOf(previous)).reduce((n, e) => n + e.chunks - e.deadChunks, 0) + freshChunks;
  const dead = segments.reduce((n, e) => n + e.deadChunks, 0);
  if (outsideBase + dead > policy.share * live) return null;
  return { fresh, tombstones, segments, newlyDead };
}

/**
 * The previous version's segments (linked), one new segment of the new and changed articles, and
 * the tombstones of the deleted and replaced ones. With a model, only the new segment's passages
 * are embedded, and the previous HNSW graph grows by them (the replaced ones marked deleted).
 */
async function buildIncremental(
  options: BuildOptions,
  version: string,
  previous: BuildManifest,
  plan: Increment,
  hashes: Map<string, string>,
  counts: Counts,
): Promise<BuildSummary> {
  const { embedder, dir } = options;
  const { report, started, articles: total } = counts;
  const name = segmentName(new Date().toISOString());
  const { segment, titled } = await buildSegment(name, plan.fresh, options.chunking, { complete: true });
  const chunks = segment.chunks;
  let embedded = 0;
  let embedMs = 0;
  let vectors: Float32Array | null = null;
  let graph: VectorIndex | null = null;
  if (embedder) {
    const t0 = performance.now();
    const fresh = await embedder.embedPassages(titled(), (done) => report("embed", total, done, chunks.length));
    embedMs = performance.now() - t0;
    embedded = fresh.length;
    vectors = new Float32Array(chunks.length * embedder.dimensions);
    fresh.forEach((v, i) => vectors!.set(v, i * embedder.dimensions));
    report("index", total, chunks.length, chunks.length);
    graph = await readGraph(version, previous);
    // Labels are passage slots: the new segment's come after every previous segment's.
    let base = 0;
    for (const entry of previous.segments) {
      const dead = plan.newlyDead.get(entry.name);
      if (dead) for (const slot of await chunkSlotsOf(path.join(version, entry.name), dead)) graph.remove(base + slot);
      base += entry.chunks;
    }
    graph.reserve(nextCapacity(base + chunks.length));
    for (let i = 0; i < chunks.length; i++) graph.add(base + i, vectors.subarray(i * embedder.dimensions, (i + 1) * embedder.dimensions));
  }
  const segments: SegmentEntry[] = [...plan.segments, { name, articles: plan.fresh.length, chunks: chunks.length, deadArticles: 0, deadChunks: 0 }];
  const manifest = manifestOf(options, hashes, segments, baseSegmentsOf(previous));
  report("save", total, chunks.length, chunks.length);
  manifest.buildMs = Math.round(performance.now() - started);
  await saveIndex(
    dir,
    {
      linked: previous.segments.map((e) => path.join(version, e.name)),
      fresh: [{ segment, vectors }],
      tombstones: plan.tombstones,
      seal: () => ({ manifest, hnsw: graph }),
    },
    options.save,
  );
  const model = embedder ? { id: embedder.modelId, dimensions: embedder.dimensions } : null;
  const index = options.returnIndex === false ? null : await loadIndex(dir, { model, previous: options.previous ?? null });
  const { report: _report, started: _started, ...summary } = counts;
  return { ...summary, passages: manifest.counts.chunks, embedded, embedMs, totalMs: performance.now() - started, written: true, index };
}

/** The chunk positions (in a segment) of the articles at these positions. */
async function chunkSlotsOf(folder: string, articlePositions: number[]): Promise<number[]> {
  const chunks = await ChunkTable.read(path.join(folder, SEGMENT_FILES.chunks));
  return articlePositions.flatMap((article) => {
    const { from, to } = chunks.rangeOf(article);
    return Array.from({ length: to - from }, (_, k) => from + k);
  }).sort((a, b) => a - b);
}

/**
 * The most articles in one segment of a full build. A segment is built in memory (its passages,
 * postings and term dictionaries) and written before the next is started, so this, not the size
 * of the archive, bounds what a build holds besides the articles themselves: measured on the
 * 26,530-article scale corpus, lexical only, a single segment peaked at 2.4 GB (README, "Scale").
 * Once all are written they are merged into one on disk, a piece at a time (segment-merge.ts):
 * searches pay one dictionary lookup and one posting list per term, not one per segment.
 */
export const SEGMENT_ARTICLES = 5_000;

/**
 * Every article, as segments of at most `segmentArticles` (a first build, a rebuild, a merge),
 * each built and written before the next, then merged into one segment on disk (`saveIndex`'s
 * `merge`). Vectors of articles whose content hash is unchanged (same model, same chunking) are
 * reused from the previous version: only new and changed articles go through the model; the graph
 * is built anew, segment by segment. The vocabulary is counted over every passage and kept by the
 * last segment (see `TermCounter`), which the merged one takes.
 */
async function buildFull(options: BuildOptions, articles: Article[] | ArticleSource, previous: BuildManifest | null, counts: Counts): Promise<BuildSummary> {
  const { embedder, dir } = options;
  const { report, started } = counts;
  const before = previous?.articles ?? new Map<string, string>();
  const perSegment = Math.max(1, options.segmentArticles ?? SEGMENT_ARTICLES);
  const stored = embedder && previous ? await readStoredVectors(dir, embedder.modelId, embedder.dimensions) : new Map<string, Float32Array>();
  const counter = new TermCounter();
  const entries: SegmentEntry[] = [];
  let graph: VectorIndex | null = null;
  let passages = 0;
  let embedded = 0;
  let embedMs = 0;

  /** The vectors of a segment's passages: stored ones where the article is unchanged, the others embedded. */
  const vectorsOf = async (segment: BuiltSegment, titled: string[], articlesBefore: number): Promise<Float32Array> => {
    const dims = embedder!.dimensions;
    const chunks = segment.chunks;
    const hashOf = new Map(segment.articles.map((a) => [a.id, a.contentHash]));
    const data = new Float32Array(chunks.length * dims);
    const todo: number[] = [];
    chunks.forEach((chunk, i) => {
      const vector = before.get(chunk.articleId) === hashOf.get(chunk.articleId) ? stored.get(chunk.id) : undefined;
      if (vector) data.set(vector, i * dims);
      else todo.push(i);
    });
    const t0 = performance.now();
    // Passages are embedded sorted by length, not article by article: articles done is pro rata.
    const fresh = await embedder!.embedPassages(
      todo.map((i) => titled[i]!),
      (done) => {
        const passagesDone = chunks.length - todo.length + done;
        report("embed", articlesBefore + Math.floor((segment.articles.length * passagesDone) / chunks.length), passages + passagesDone, passages + chunks.length);
      },
    );
    embedMs += performance.now() - t0;
    embedded += fresh.length;
    todo.forEach((chunkIndex, k) => data.set(fresh[k]!, chunkIndex * dims));
    report("index", articlesBefore + segment.articles.length, passages + chunks.length, passages + chunks.length);
    graph ??= VectorIndex.create(dims, options.hnsw, nextCapacity(chunks.length));
    graph.reserve(nextCapacity(passages + chunks.length));
    for (let i = 0; i < chunks.length; i++) {
      graph.add(passages + i, data.subarray(i * dims, (i + 1) * dims));
      if (i % 2000 === 1999) await yieldToEventLoop();
    }
    return data;
  };

  // Every live article's content hash, as read for the segments (the manifest's).
  const hashes = new Map<string, string>();
  async function* segments(): AsyncGenerator<FreshSegment> {
    let from = 0;
    for await (const { batch, last } of batchesOf(articles, perSegment)) {
      for (const article of batch) hashes.set(article.id, article.contentHash);
      const name = segmentName(new Date().toISOString());
      const { segment, titled } = await buildSegment(name, batch, options.chunking, {
        shared: { counter, last },
        onChunked: (i) => report("chunk", from + i, passages, 0),
      });
      report("index", from + batch.length, passages + segment.chunks.length, passages + segment.chunks.length);
      const vectors = embedder ? await vectorsOf(segment, titled(), from) : null;
      entries.push({ name, articles: batch.length, chunks: segment.chunks.length, deadArticles: 0, deadChunks: 0 });
      passages += segment.chunks.length;
      report("save", from + batch.length, passages, passages);
      from += batch.length;
      yield { segment, vectors };
    }
  }

  await saveIndex(
    dir,
    {
      linked: [],
      fresh: segments(),
      tombstones: NO_TOMBSTONES,
      merge: true,
      seal: (merged) => {
        const segments = merged ? [{ name: merged, ...sum(entries) }] : entries;
        const manifest = manifestOf(options, hashes, segments, segments.length);
        manifest.buildMs = Math.round(performance.now() - started);
        return { manifest, hnsw: graph };
      },
    },
    options.save,
  );
  const model = embedder ? { id: embedder.modelId, dimensions: embedder.dimensions } : null;
  const index = options.returnIndex === false ? null : await loadIndex(dir, { model });
  const { report: _report, started: _started, ...summary } = counts;
  return { ...summary, passages, embedded, embedMs, totalMs: performance.now() - started, written: true, index };
}

/**
 * The articles in batches of `size`, the last one flagged (it takes the vocabulary: see
 * `buildFull`); an empty corpus is one empty batch. From a source, one batch is held at a time.
 */
async function* batchesOf(articles: Article[] | ArticleSource, size: number): AsyncGenerator<{ batch: Article[]; last: boolean }> {
  let batch: Article[] = [];
  for await (const article of Array.isArray(articles) ? articles : articles.read()) {
    if (batch.length === size) {
      yield { batch, last: false };
      batch = [];
    }
    batch.push(article);
  }
  yield { batch, last: true };
}

/** One segment's entry for these (a full build's segments, merged: no tombstones). */
function sum(entries: SegmentEntry[]): Omit<SegmentEntry, "name"> {
  return { articles: entries.reduce((n, e) => n + e.articles, 0), chunks: entries.reduce((n, e) => n + e.chunks, 0), deadArticles: 0, deadChunks: 0 };
}

/** `hashes`: every live article's content hash, by id. */
function manifestOf(options: BuildOptions, hashes: Map<string, string>, segments: SegmentEntry[], baseSegments: number): BuildManifest {
  const { embedder } = options;
  return {
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
    counts: { articles: hashes.size, chunks: segments.reduce((n, e) => n + e.chunks - e.deadChunks, 0) },
    segments,
    baseSegments,
    articles: hashes,
  };
}

/** The segments of a version written by its last full build (a version of format 4 before `baseSegments`: the first). */
function baseSegmentsOf(manifest: ManifestHead): number {
  return manifest.baseSegments ?? 1;
}

function sameChunking(a: ChunkOptions, b: ChunkOptions): boolean {
  return a.maxChars === b.maxChars && a.overlapSentences === b.overlapSentences;
}

/** Capacity grows geometrically: the next power of two with room to spare for later additions. */
export function nextCapacity(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1024, Math.ceil(n * 1.25))));
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
