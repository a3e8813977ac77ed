/**
 * Text → vectors with a local ONNX model through transformers.js (onnxruntime-node on the CPU).
 *
 * Decisions:
 * - One pipeline per process, loaded once (`TransformersEmbedder.load`); the ONNX session is the
 *   expensive part and is shared by passages and queries.
 * - Queries and passages get different prefixes (see `profiles.ts`); callers never add them.
 * - Long work is cut into batches that yield to the event loop, so a bot embedding a new article
 *   still answers messages in between.
 */
import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { DataType, FeatureExtractionPipeline, Tensor } from "@huggingface/transformers";
import { ModelLoadError } from "../domain/errors";
import type { Embedder } from "../domain/types";
import { silentLogger, type Logger } from "../logger";
import { nfc } from "../text/vietnamese";
import { DEFAULT_MAX_BATCH_CHARACTERS, planBatches } from "./batching";
import { findProfile, profileFor, type EmbeddingProfile } from "./profiles";

export interface TransformersEmbedderOptions {
  /** A Hugging Face hub id (`Xenova/multilingual-e5-small`) or a local model folder (holds config.json). */
  model: string;
  /** Weight precision; picks the ONNX file (`q8` → onnx/model_quantized.onnx, `fp32` → onnx/model.onnx). */
  dtype: string;
  /** Where hub models are downloaded to and looked up in. Unused for a local folder. */
  cacheDir: string;
  /** May a hub model missing from `cacheDir` be downloaded? Always off for a local folder. */
  allowRemoteModels: boolean;
  /** ONNX Runtime intra-op threads (the parallelism inside one batch). */
  threads: number;
  /** At most this many texts per forward pass. */
  batchSize: number;
  /** Padded-size budget per batch (texts × longest text, in characters); see `batching.ts`. */
  maxBatchCharacters?: number;
  logger?: Logger;
}

/** The load options without the logger: what a worker thread needs to load the same model. */
export type EmbedderRecipe = Omit<TransformersEmbedderOptions, "logger">;

/** Where the model files come from, decided before transformers.js is called. */
type ModelSource = { kind: "local"; folder: string } | { kind: "hub"; id: string };

/**
 * The dtypes transformers.js 4.3 knows (its DATA_TYPES, not exported). It silently falls back to
 * fp32 for anything else, which would load a different file than the one asked for: refuse instead.
 */
const DTYPES: readonly DataType[] = [
  "auto", "fp32", "fp16", "q8", "int8", "uint8", "q4", "bnb4", "q4f16", "q2", "q2f16", "q1", "q1f16",
];

/**
 * transformers.js and onnxruntime-node, imported on the first model load rather than with this
 * module: together they hold ~250 MiB of a process's memory, which a bot with dense retrieval off
 * (or no model found) never needs. A configuration that fails before the load (dense off, a
 * missing folder, an unknown dtype) never imports them.
 */
let transformers: Promise<{ library: typeof import("@huggingface/transformers"); defaultLocalModelPath: string }> | null = null;
function importTransformers() {
  // transformers.js looks local models up under env.localModelPath; remember its default so a hub
  // load after a local one does not search the previous model's parent folder.
  transformers ??= import("@huggingface/transformers").then((library) => ({ library, defaultLocalModelPath: library.env.localModelPath }));
  return transformers;
}

// `env` is process-wide: loads are serialised so that two loads cannot interleave their settings.
let loadQueue: Promise<unknown> = Promise.resolve();

/**
 * A loaded embedding model. Vectors are `Float32Array`s of length {@link dimensions}; with the
 * shipped profiles they are unit length, so the inner product is the cosine.
 *
 * @example
 *   const embedder = await TransformersEmbedder.load({
 *     model: "Xenova/multilingual-e5-small", dtype: "q8", cacheDir: ".cache/models",
 *     allowRemoteModels: true, threads: 4, batchSize: 16,
 *   });
 *   const [vector] = await embedder.embedPassages(["Giá lúa gạo tăng mạnh."]);
 *   const query = await embedder.embedQuery("giá gạo hôm nay");
 *   await embedder.dispose();
 */
export class TransformersEmbedder implements Embedder {
  private disposed = false;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    /** The model as configured: hub id or folder path (what an index manifest should record). */
    readonly modelId: string,
    /** The weight precision loaded; the index manifest records it next to the model. */
    readonly dtype: string,
    /** Vector length, measured on a probe sentence at load (never trusted from config.json). */
    readonly dimensions: number,
    readonly profile: EmbeddingProfile,
    private readonly limits: { maxItems: number; maxCharacters: number },
    /**
     * How this embedder was loaded, as plain data: another thread loads the same model from it
     * (the index build runs in a worker, which cannot be handed this object; see src/app/build-thread.ts).
     */
    readonly recipe: EmbedderRecipe,
  ) {}

  /** Prepended to questions by {@link embedQuery}; exposed so an index can record what it was built with. */
  get queryPrefix(): string {
    return this.profile.queryPrefix;
  }

  /** Prepended to passages by {@link embedPassages}. */
  get passagePrefix(): string {
    return this.profile.passagePrefix;
  }

  /**
   * Loads the model (downloading it first when it is a hub id, not cached, and remote models are
   * allowed), then embeds one probe sentence to learn the dimension and prove the graph runs.
   *
   * Configures the process-wide transformers.js `env` (cache folder, local path, remote switch).
   * @throws ModelLoadError with a short reason: offline and not cached, file missing, bad ONNX, …
   */
  static load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const result = loadQueue.then(() => TransformersEmbedder.loadNow(options));
    loadQueue = result.catch(() => undefined);
    return result;
  }

  private static async loadNow(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const logger = options.logger ?? silentLogger;
    const started = performance.now();
    const source = await resolveSource(options.model);
    const profile = profileFor(options.model);
    if (!(DTYPES as readonly string[]).includes(options.dtype)) {
      throw new ModelLoadError(options.model, `unknown dtype "${options.dtype}" (one of ${DTYPES.join(", ")})`);
    }
    if (!findProfile(options.model)) {
      logger.warn(
        { model: options.model, profile },
        "unknown embedding model: using no prefixes and mean pooling; check that this suits the model",
      );
    }

    const { library, defaultLocalModelPath: DEFAULT_LOCAL_MODEL_PATH } = await importTransformers();
    const { env, LogLevel, pipeline } = library;
    // transformers.js and onnxruntime write warnings straight to the console, which would break our
    // JSON-lines log; let them through only when debugging. Failures reach us as exceptions anyway.
    env.logLevel = logger.isLevelEnabled("debug") ? LogLevel.WARNING : LogLevel.ERROR;

    let name: string;
    if (source.kind === "local") {
      const base = path.basename(source.folder);
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      // Nothing to cache for files already on disk; and a cached hub model of the same name
      // (e.g. `bge-m3`) must not shadow the folder: transformers.js checks its cache first.
      env.useFSCache = false;
      // transformers.js resolves "<localModelPath>/<name>" only for names shaped like hub ids;
      // any other name it reads as a path, so the absolute folder works for those.
      if (isHubShapedName(base)) {
        env.localModelPath = path.dirname(source.folder);
        name = base;
      } else {
        env.localModelPath = DEFAULT_LOCAL_MODEL_PATH;
        name = source.folder;
      }
    } else {
      env.allowLocalModels = true;
      env.localModelPath = DEFAULT_LOCAL_MODEL_PATH;
      env.useFSCache = true;
      env.cacheDir = options.cacheDir;
      env.allowRemoteModels = options.allowRemoteModels;
      name = source.id;
    }

    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await pipeline("feature-extraction", name, {
        dtype: options.dtype as DataType,
        // Explicit: onnxruntime's default intra-op pool size ignores the configured thread count, and
        // inter-op parallelism only helps graphs with independent branches, which encoders lack.
        // No spinning: by default the intra-op threads busy-wait after each run, and on a small
        // machine they take the core the question's retrieval runs on next (2 cores, e5-small q8:
        // the JavaScript after a query embedding ran 1.7× slower; vectors are identical).
        session_options: {
          intraOpNumThreads: options.threads,
          interOpNumThreads: 1,
          extra: { "session.intra_op.allow_spinning": "0" },
        },
      });
    } catch (error) {
      throw new ModelLoadError(options.model, await explainLoadFailure(error, source, options));
    }

    limitTokens(extractor, profile.maxTokens);
    const limits = {
      maxItems: options.batchSize,
      maxCharacters: options.maxBatchCharacters ?? DEFAULT_MAX_BATCH_CHARACTERS,
    };

    let dimensions: number;
    try {
      const [probe] = await runBatch(extractor, [`${profile.passagePrefix}Hà Nội`], profile);
      dimensions = probe?.length ?? 0;
      if (dimensions === 0) throw new Error("the model returned an empty vector");
    } catch (error) {
      await extractor.dispose().catch(() => undefined);
      const reason = `the model loaded but could not embed a test sentence (${firstLine(error)})`;
      throw new ModelLoadError(options.model, reason);
    }

    logger.info(
      {
        model: options.model,
        source: source.kind,
        dtype: options.dtype,
        dimensions,
        threads: options.threads,
        ms: Math.round(performance.now() - started),
      },
      "embedding model loaded",
    );
    const { logger: _logger, ...recipe } = options;
    return new TransformersEmbedder(extractor, options.model, options.dtype, dimensions, profile, limits, recipe);
  }

  /**
   * Embeds passages (chunks) with the passage prefix, in batches, returning vectors in input order.
   * `onProgress(done, total)` is called after each batch.
   */
  async embedPassages(
    texts: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    this.assertUsable();
    const inputs = texts.map((text) => this.profile.passagePrefix + nfc(text));
    const vectors = new Array<Float32Array>(inputs.length);
    let done = 0;
    const batches = planBatches(
      inputs.map((input) => input.length),
      this.limits,
    );
    for (const [n, batch] of batches.entries()) {
      // Let pending I/O (Telegram updates, timers) run between forward passes.
      if (n > 0) await nextTurn();
      const output = await runBatch(
        this.extractor,
        batch.map((i) => inputs[i] ?? ""),
        this.profile,
      );
      batch.forEach((inputIndex, row) => {
        const vector = output[row];
        if (!vector) throw new Error(`the model returned ${output.length} vectors for ${batch.length} texts`);
        vectors[inputIndex] = vector;
      });
      done += batch.length;
      onProgress?.(done, inputs.length);
    }
    return vectors;
  }

  /** Embeds a question with the query prefix. */
  async embedQuery(text: string): Promise<Float32Array> {
    this.assertUsable();
    const [vector] = await runBatch(this.extractor, [this.profile.queryPrefix + nfc(text)], this.profile);
    if (!vector) throw new Error("the model returned no vector for the query");
    return vector;
  }

  /** Releases the ONNX session (native memory). The embedder cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.extractor.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error(`embedding model ${this.modelId} was disposed`);
  }
}

/** One forward pass: pooled (and normalised, per profile) rows as separate Float32Arrays. */
async function runBatch(
  extractor: FeatureExtractionPipeline,
  texts: string[],
  profile: EmbeddingProfile,
): Promise<Float32Array[]> {
  let tensor: Tensor = await extractor(texts, { pooling: profile.pooling, normalize: profile.normalize });
  // fp16 graphs may return half floats; the rest of the system speaks Float32Array.
  if (tensor.type !== "float32") tensor = tensor.to("float32");
  const [rows, width] = tensor.dims;
  if (tensor.dims.length !== 2 || rows !== texts.length || !width) {
    throw new Error(`unexpected output shape [${tensor.dims.join(", ")}] for ${texts.length} texts`);
  }
  const data = tensor.data as Float32Array;
  // slice copies: each vector owns its buffer instead of pinning the whole batch's output.
  return Array.from({ length: rows }, (_, row) => data.slice(row * width, (row + 1) * width));
}

/**
 * The pipeline truncates at the tokenizer's `model_max_length`, which some exports leave unset
 * (Infinity) or set above what the model was trained on; cap it at the profile's window.
 */
function limitTokens(extractor: FeatureExtractionPipeline, maxTokens: number): void {
  const tokenizer = extractor.tokenizer;
  // The getter `model_max_length` reads this object; the typings expose it only as `any`.
  const config = tokenizer._tokenizerConfig as { model_max_length?: number };
  config.model_max_length = Math.min(tokenizer.model_max_length ?? Infinity, maxTokens);
}

// The pattern transformers.js uses to tell hub ids from paths (REPO_ID_REGEX and its extra checks).
function isHubShapedName(name: string): boolean {
  return /^\w([\w\-.]{0,94}\w)?$/.test(name) && !name.includes("..") && !name.includes("--");
}

/**
 * A model setting names a local folder when it exists on disk (absolute, or relative to the
 * working directory); otherwise it is a hub id. Something written as a path ("/…", "./…", "../…",
 * "~…") that does not exist is an error rather than a doomed download.
 */
async function resolveSource(model: string): Promise<ModelSource> {
  const folder = path.resolve(/^~([\\/]|$)/.test(model) ? path.join(os.homedir(), model.slice(1)) : model);
  const info = await stat(folder).catch(() => null);
  const looksLikePath = path.isAbsolute(model) || /^(\.{1,2}|~)([\\/]|$)/.test(model);
  if (!info) {
    if (looksLikePath) throw new ModelLoadError(model, `no such folder: ${folder}`);
    return { kind: "hub", id: model };
  }
  if (!info.isDirectory()) {
    throw new ModelLoadError(model, `${folder} is a file; expected a model folder holding config.json`);
  }
  const config = await stat(path.join(folder, "config.json")).catch(() => null);
  if (!config?.isFile()) {
    throw new ModelLoadError(
      model,
      `${folder} has no config.json (a model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model*.onnx)`,
    );
  }
  return { kind: "local", folder };
}

const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (e.message === "fetch failed") return true;
  }
  return false;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").find((l) => l.trim() !== "") ?? message;
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Turns whatever transformers.js / onnxruntime threw into one sentence an operator can act on. */
async function explainLoadFailure(
  error: unknown,
  source: ModelSource,
  options: TransformersEmbedderOptions,
): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  if (isNetworkError(error)) {
    return `offline and not in the cache (${options.cacheDir}): connect once so it can be downloaded, or use a local model folder`;
  }
  // By name: the class lives in the lazily imported library.
  if (error instanceof Error && error.name === "ModelFileNotFoundError") {
    const missing = /not found locally at "([^"]+)"/.exec(message)?.[1];
    if (source.kind === "local") {
      const file = missing ? path.relative(source.folder, path.resolve(missing)) : "a model file";
      const dtypeHint = file.startsWith("onnx") ? ` (dtype ${options.dtype} reads that file)` : "";
      return `${file} is missing in ${source.folder}${dtypeHint}`;
    }
    if (!options.allowRemoteModels) {
      return `not in the cache (${options.cacheDir}) and remote models are disabled: allow them once to download it, or use a local model folder`;
    }
    if (/^Could not locate file/.test(message)) {
      return `not found on the Hugging Face Hub (${firstLine(error)}); check the model id and dtype ${options.dtype}`;
    }
    return firstLine(error);
  }
  if (/protobuf parsing failed|load model from|invalid model|onnxruntime/i.test(message)) {
    return `the ONNX file is not a valid model (${firstLine(error)})`;
  }
  if (error instanceof SyntaxError) {
    // JSON.parse does not say which file it was given; for a folder, find out.
    const file = source.kind === "local" ? await firstInvalidJson(source.folder) : undefined;
    return `${file ?? "a JSON file of the model"} is corrupt (${firstLine(error)})`;
  }
  return firstLine(error);
}

async function firstInvalidJson(folder: string): Promise<string | undefined> {
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
    try {
      JSON.parse(await readFile(path.join(folder, file), "utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) return file;
    }
  }
  return undefined;
}
