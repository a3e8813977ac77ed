import type { Config } from "../config";
import type { ArticleParseError } from "../domain/errors";
import type { Embedder } from "../domain/types";
import { loadCorpus, type ParseSandbox } from "../ingest";
import type { Logger } from "../logger";
import { buildIndex, type BuildProgress, type BuildSummary } from "../store";

export interface IngestOptions {
  config: Config;
  logger: Logger;
  embedder: Embedder | null;
  denseOffReason: string | null;
  /** Files or folders to read; default: the configured corpus folder. */
  paths?: string[];
  indexDir?: string;
  rebuild?: boolean;
  /** Parse the files in this sandbox (the bot: off its event loop, within a budget); default: in process. */
  parser?: ParseSandbox;
  onProgress?: (progress: BuildProgress) => void;
  /** Crash-test injection point, passed to the atomic save. */
  onSaveStep?: (file: string) => void | Promise<void>;
}

export interface IngestResult extends BuildSummary {
  files: number;
  failures: ArticleParseError[];
}

/**
 * corpus files → articles → a new index version (incremental unless `rebuild`).
 * Unreadable files are reported and skipped; they never stop the run.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const { config, logger } = options;
  const paths = options.paths?.length ? options.paths : [config.corpusDir];
  const parser = options.parser;
  const { articles, failures, files } = await loadCorpus(paths, {
    ...(parser ? { parse: (file, text) => parser.parseFile(file, text) } : {}),
    onFailure: (error) => logger.warn({ path: error.path }, `skipped ${error.path}: ${error.reason}`),
  });
  const summary = await buildIndex({
    dir: options.indexDir ?? config.indexDir,
    articles,
    embedder: options.embedder,
    denseOffReason: options.denseOffReason,
    chunking: config.chunk,
    hnsw: config.hnsw,
    rebuild: options.rebuild ?? false,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onSaveStep ? { save: { onStep: options.onSaveStep } } : {}),
  });
  return { ...summary, files, failures };
}
