/**
 * The embedding stage: text → vectors. Other folders import from here, not from the files inside.
 */
import type { Config } from "../config";
import { ModelLoadError } from "../domain/errors";
import type { Logger } from "../logger";
import { TransformersEmbedder } from "./transformers-embedder";

export { DEFAULT_MAX_BATCH_TOKENS, paddedTokens, planBatches, type BatchLimits } from "./batching";
export { poolRange, poolRows, type TokenRange } from "./encoder";
export { passagePieces, sentenceRanges, type PassageVectors, type PassageWithSentences } from "./sentence-tokens";
export { cosine } from "./vectors";
export { TransformersEmbeddings } from "./langchain";
export { DEFAULT_PROFILE, findProfile, profileFor, type EmbeddingProfile } from "./profiles";
export {
  PASSAGE_WINDOW,
  TransformersEmbedder,
  type EmbedCounters,
  type EmbedderRecipe,
  type TransformersEmbedderOptions,
} from "./transformers-embedder";

/** Either a loaded embedder, or why there is none (for logs and a status command). */
export type EmbedderOrReason =
  | { embedder: TransformersEmbedder; reason: null }
  | { embedder: null; reason: string };

/**
 * Loads the configured model, or explains why dense retrieval is unavailable. Never throws: a
 * missing model degrades the service to lexical retrieval instead of stopping it, and the reason
 * tells the operator what to fix.
 *
 * @example
 *   const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger);
 *   if (!embedder) logger.warn({ reason }, "dense retrieval off: lexical search only");
 */
export async function loadEmbedderOrExplain(
  config: Config["embedding"],
  logger: Logger,
  options: { bulk?: boolean } = {},
): Promise<EmbedderOrReason> {
  if (config.dense === "off") return { embedder: null, reason: "DENSE_RETRIEVAL=off" };
  try {
    const embedder = await TransformersEmbedder.load({
      model: config.model,
      dtype: config.dtype,
      cacheDir: config.cacheDir,
      allowRemoteModels: config.allowRemoteModels,
      threads: config.threads,
      batchSize: config.batchSize,
      bulk: options.bulk,
      logger,
    });
    return { embedder, reason: null };
  } catch (error) {
    // A ModelLoadError already reads "could not load embedding model X: why"; anything else is a bug
    // in this module, but the promise holds: report it rather than throw.
    const reason =
      error instanceof ModelLoadError
        ? error.message
        : `could not load embedding model ${config.model}: ${error instanceof Error ? error.message : String(error)}`;
    // Callers say it to the person once, in their own words (start-up warning, ingest summary).
    logger.debug({ model: config.model, reason }, "embedding model unavailable");
    return { embedder: null, reason };
  }
}
