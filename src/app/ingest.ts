import { stat } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";
import { CorpusPathError, type ArticleParseError } from "../domain/errors";
import type { Article, Embedder } from "../domain/types";
import { isWalked, loadCorpus, readCorpus, type LoadCorpusOptions, type LoadedCorpus, type ParseSandbox } from "../ingest";
import type { Logger } from "../logger";
// The build itself, not the store's index: this file is what the build worker thread loads, and
// src/store/index.ts also loads the LangChain adapter (1.4 s of @langchain/core), which a build never uses.
import { buildIndex, type ArticleSource, type BuildProgress, type BuildSummary } from "../store/build";
import type { CorpusIndex } from "../store/corpus-index";

export interface IngestOptions {
  config: Config;
  logger: Logger;
  embedder: Embedder | null;
  denseOffReason: string | null;
  /** Files or folders to read; default: the configured corpus folder. */
  paths?: string[];
  indexDir?: string;
  rebuild?: boolean;
  /**
   * What an admin action changed in the corpus folder: only these files are read, and the build
   * applies them to the version in service (see `BuildOptions.changes`). Every file is read after
   * all when the change cannot be applied alone (a changed file that fails to parse or that the
   * folder walk would skip, other `paths`, `rebuild`, a merge due, no comparable version).
   */
  changes?: CorpusChanges;
  /** Allow removing more than half of the indexed articles (see `BuildOptions.allowRemovals`). */
  allowRemovals?: boolean;
  /** Parse the files in this sandbox (the bot: off its event loop, within a budget); default: in process. */
  parser?: ParseSandbox;
  onProgress?: (progress: BuildProgress) => void;
  /** Crash-test injection point, passed to the atomic save. */
  onSaveStep?: (file: string) => void | Promise<void>;
  /** The caller holds the index folder's build lock (see `BuildOptions.callerHoldsLock`). */
  callerHoldsLock?: boolean;
  /** The index in service: an incremental build's result shares its segments (see `BuildOptions.previous`). */
  previous?: CorpusIndex | null;
  /** False: no index in the result (the build worker: its caller loads the version from disk). */
  returnIndex?: boolean;
}

/** Files written and articles removed by an admin action (`/add`, an upload, `/delete`, a feed item). */
export interface CorpusChanges {
  /** Absolute paths of the files added or replaced, inside the corpus folder. */
  files: string[];
  /** Ids of the articles whose files left the corpus folder. */
  removed: string[];
}

export interface IngestResult extends BuildSummary {
  files: number;
  failures: ArticleParseError[];
}

/**
 * corpus files → articles → a new index version (incremental unless `rebuild`).
 *
 * Unreadable files and bad records are skipped and returned as `failures`; they never stop the
 * run. Each is logged at debug level only: a data file with 100,000 bad lines must not become
 * 100,000 log lines. Callers report them once, grouped by file (`failuresByFile`).
 *
 * @throws CorpusPathError when a path to read does not exist (nothing is read or written)
 * @throws RemovalRefusedError when the build would remove more than half of the indexed articles
 *   and `allowRemovals` is not set (nothing is written)
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const { config, logger } = options;
  const paths = options.paths?.length ? options.paths : [config.corpusDir];
  await assertCorpusPaths(paths);
  const parser = options.parser;
  const readOptions = (root?: string): LoadCorpusOptions => ({
    ...(parser ? { parse: (file, text) => parser.parseFile(file, text) } : {}),
    ...(root ? { root } : {}),
    onFailure: (error) => logger.debug({ path: error.path, reason: error.reason }, "skipped"),
  });
  const load = (inputs: string[], root?: string) => loadCorpus(inputs, readOptions(root));
  const changed = options.changes && !options.rebuild ? await loadChanges(options.changes, paths, load) : null;
  // Every file, read by the build a file at a time, and only if it asks for them after a change (a merge is due, say).
  const corpus = corpusSource(paths, readOptions());
  const input = changed ? { changes: { upserted: changed.articles, removed: options.changes!.removed, all: corpus } } : { articles: corpus };
  const summary = await buildIndex({
    dir: options.indexDir ?? config.indexDir,
    ...input,
    embedder: options.embedder,
    denseOffReason: options.denseOffReason,
    chunking: config.chunk,
    hnsw: config.hnsw,
    segmentArticles: config.segmentArticles,
    rebuild: options.rebuild ?? false,
    allowRemovals: options.allowRemovals ?? false,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onSaveStep ? { save: { onStep: options.onSaveStep } } : {}),
    ...(options.callerHoldsLock ? { callerHoldsLock: true } : {}),
    ...(options.previous ? { previous: options.previous } : {}),
    ...(options.returnIndex === false ? { returnIndex: false } : {}),
  });
  const read = corpus.done ? corpus : changed!;
  return { ...summary, files: read.files, failures: read.failures };
}

/** The corpus under `paths` as a build reads it (`ArticleSource`); the files and failures of its first whole read. */
function corpusSource(paths: string[], options: LoadCorpusOptions): ArticleSource & Omit<LoadedCorpus, "articles"> & { done: boolean } {
  const source = {
    files: 0,
    failures: [] as ArticleParseError[],
    done: false,
    async *read(): AsyncGenerator<Article> {
      // Later reads are the same files again: their failures are not reported twice.
      const first = !source.done;
      const onFailure = (error: ArticleParseError) => {
        if (!first) return;
        source.failures.push(error);
        options.onFailure?.(error);
      };
      const { files } = yield* readCorpus(paths, { ...options, onFailure });
      if (first) [source.files, source.done] = [files, true];
    },
  };
  return source;
}

/**
 * The articles of the changed files, read as the walk of `paths` would read them (same source
 * names), or null when the change cannot stand alone and every file must be read: `paths` is not
 * one folder holding them, the walk would skip one of them, or one fails to load (a full read
 * then drops its old articles too, as a rebuild would).
 */
async function loadChanges(changes: CorpusChanges, paths: string[], load: (inputs: string[], root?: string) => Promise<LoadedCorpus>): Promise<LoadedCorpus | null> {
  if (paths.length !== 1) return null;
  const root = path.resolve(paths[0]!);
  const isDirectory = await stat(root).then((s) => s.isDirectory(), () => false);
  if (!isDirectory) return null;
  const sources = changes.files.map((file) => path.relative(root, path.resolve(file)).split(path.sep).join("/"));
  if (!sources.every(isWalked)) return null;
  const loaded = await load(changes.files.map((file) => path.resolve(file)), root);
  return loaded.failures.length === 0 ? loaded : null;
}

/**
 * A corpus path that is not there is the caller's mistake, not an empty corpus: `ingest` checks
 * this first, and the CLI before it loads the model, so that a typo is said at once.
 * @throws CorpusPathError naming the first path that does not exist
 */
export async function assertCorpusPaths(paths: string[]): Promise<void> {
  for (const input of paths) {
    try {
      await stat(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CorpusPathError(input, code === "ENOENT" || code === "ENOTDIR" ? "does not exist" : `cannot be opened (${code ?? "error"})`);
    }
  }
}
