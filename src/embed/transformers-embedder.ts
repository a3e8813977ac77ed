/**
 * Text → vectors with a local ONNX model through transformers.js (onnxruntime-node on the CPU).
 *
 * Decisions:
 * - One pipeline per process, loaded once (`TransformersEmbedder.load`); the ONNX session is the
 *   expensive part and is shared by passages and queries.
 * - Queries and passages get different prefixes (see `profiles.ts`); callers never add them.
 * - Passages are tokenised first and batched by token count (`batching.ts`); each batch then goes
 *   straight to the ONNX session and is pooled in place (`encoder.ts`): the pipeline's own call
 *   would tokenise again and copy the outputs twice.
 * - Long work is cut into batches that yield to the event loop, so a bot embedding a new article
 *   still answers messages in between.
 */
import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { DataType, FeatureExtractionPipeline, Tensor as TransformersTensor } from "@huggingface/transformers";
import { ModelLoadError } from "../domain/errors";
import type { Embedder } from "../domain/types";
import { silentLogger, type Logger } from "../logger";
import { nfc } from "../text/vietnamese";
import { DEFAULT_MAX_BATCH_TOKENS, planBatches, type BatchLimits } from "./batching";
import { Encoder, type ForwardTimes, type OrtSession, type OrtTensor, type TokenRange } from "./encoder";
import { passagePieces, sentenceRanges, type PassageVectors, type PassageWithSentences } from "./sentence-tokens";
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
  /**
   * Embedding in bulk, with nothing else to run meanwhile (`npm run ingest`): the intra-op threads
   * may busy-wait between runs, which keeps batches fast. Off by default: in the bot, a spinning
   * thread takes the core a question's retrieval runs on right after its embedding.
   */
  bulk?: boolean;
  /** At most this many texts per forward pass. */
  batchSize: number;
  /** Padded-size budget per batch (texts × longest text, in tokens); see `batching.ts`. */
  maxBatchTokens?: number;
  logger?: Logger;
}

/** The load options without the logger: what a worker thread needs to load the same model. */
export type EmbedderRecipe = Omit<TransformersEmbedderOptions, "logger">;

/**
 * What the embedder has done since it was loaded, summed: how many tokens the model computed and
 * how many of them were padding, and where the time went. For benchmarks and logs; reading it
 * costs nothing.
 */
export interface EmbedCounters extends ForwardTimes {
  texts: number;
  batches: number;
  /** Real tokens (special tokens included). */
  tokens: number;
  /** Tokens the model computed: Σ batch rows × longest row. `1 − tokens / paddedTokens` is padding. */
  paddedTokens: number;
  tokenizeMs: number;
  /** Passages given with their sentences whose sentences could not be placed among their tokens. */
  unalignedPassages: number;
}

/**
 * Tokenising gives the event loop a turn after this many milliseconds: e5's Unigram tokenizer in
 * JavaScript takes 2-12 ms a passage (depending on the machine's load), so a bot embedding in
 * process keeps answering while a large ingest tokenises.
 */
const TOKENIZE_SLICE_MS = 20;

/**
 * Passages are tokenised and planned this many at a time: sorting 4,096 passages leaves 0.24 %
 * padding on the news corpus (1,024: 0.9 %), and the token ids held at once stay small whatever
 * the corpus size. Tokenising the next window while the model runs would gain nothing:
 * onnxruntime-node's `run` computes on the JavaScript thread (it is only deferred by a
 * setImmediate), so nothing else runs on that thread meanwhile.
 */
export const PASSAGE_WINDOW = 4_096;

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
  private special: { bos: number[]; eos: number[] } | null = null;
  private readonly totals: EmbedCounters = {
    texts: 0, batches: 0, tokens: 0, paddedTokens: 0, tokenizeMs: 0, feedMs: 0, runMs: 0, poolMs: 0, unalignedPassages: 0,
  };

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    private readonly encoder: Encoder,
    /** The model as configured: hub id or folder path (what an index manifest should record). */
    readonly modelId: string,
    /** The weight precision loaded; the index manifest records it next to the model. */
    readonly dtype: string,
    /** Vector length, measured on a probe sentence at load (never trusted from config.json). */
    readonly dimensions: number,
    readonly profile: EmbeddingProfile,
    /** How passages are grouped into forward passes (see `batching.ts`). */
    readonly batchLimits: BatchLimits,
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

  /** A snapshot of {@link EmbedCounters} since load (subtract two snapshots to measure a run). */
  get counters(): EmbedCounters {
    return { ...this.totals };
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
        // No spinning unless in bulk: by default the intra-op threads busy-wait after each run, and
        // on a small machine they take the core the question's retrieval runs on next (2 cores,
        // e5-small q8: the JavaScript after a query embedding ran 1.7× slower). In bulk, spinning
        // keeps batches fast (96 passages, 2 threads, six runs each way alternated: 9.6 passages/s
        // without on average, 11.6 with).
        // Vectors are identical either way.
        session_options: {
          intraOpNumThreads: options.threads,
          interOpNumThreads: 1,
          extra: { "session.intra_op.allow_spinning": options.bulk ? "1" : "0" },
        },
      });
    } catch (error) {
      throw new ModelLoadError(options.model, await explainLoadFailure(error, source, options));
    }

    const limits: BatchLimits = { maxItems: options.batchSize, maxTokens: options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS };
    const session = extractor.model.sessions.model as OrtSession | undefined;
    if (!session) {
      await extractor.dispose().catch(() => undefined);
      throw new ModelLoadError(options.model, "transformers.js loaded no encoder session (onnx/model*.onnx) for this model");
    }
    const { Tensor } = library;
    const encoder = new Encoder({
      session,
      int64Tensor: (data, dims) => new Tensor("int64", data, dims).ort_tensor,
      // fp16 graphs may return half floats; the rest of the system speaks Float32Array.
      toFloat32: (tensor) => new Tensor(tensor as unknown as TransformersTensor["ort_tensor"]).to("float32").data as Float32Array,
      padTokenId: extractor.tokenizer.pad_token_id ?? 0,
      pooling: profile.pooling,
      normalize: profile.normalize,
    });

    let dimensions: number;
    try {
      const [probe] = await encoder.run([tokenize(extractor, `${profile.passagePrefix}Hà Nội`, profile.maxTokens)]);
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
    return new TransformersEmbedder(extractor, encoder, options.model, options.dtype, dimensions, profile, limits, recipe);
  }

  /**
   * Embeds passages (chunks) with the passage prefix, in batches planned by token count, returning
   * vectors in input order. `onProgress(done, total)` is called after each batch.
   */
  async embedPassages(
    texts: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    const out = await this.embedWindows(texts.map((text) => ({ text, sentences: [] })), false, onProgress);
    return out.map((p) => p.vector);
  }

  /**
   * `embedPassages` for passages whose sentences also get a vector each, pooled from the passage's
   * own forward pass (`Encoder.runWithRanges`): no model time beyond the passages', and each
   * sentence read in its passage's context. A passage whose sentences cannot be placed among its
   * tokens (see `sentence-tokens.ts`), or a sentence cut off by the model's window, has null there.
   * The passages' vectors are exactly `embedPassages`'s.
   *
   * Measured, not used by the product: read by these vectors, English questions found their answer
   * less often than with each sentence embedded alone (README, "Sentence vectors at ingest";
   * eval/sentence-vectors.ts), so the index stores none.
   */
  embedPassagesWithSentences(
    passages: readonly PassageWithSentences[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<PassageVectors[]> {
    return this.embedWindows(passages, true, onProgress);
  }

  /** Tokenises and embeds passages a window at a time, in batches planned by token count. */
  private async embedWindows(
    passages: readonly PassageWithSentences[],
    withSentences: boolean,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PassageVectors[]> {
    this.assertUsable();
    const out = new Array<PassageVectors>(passages.length);
    let done = 0;
    for (let start = 0; start < passages.length; start += PASSAGE_WINDOW) {
      const window = passages.slice(start, start + PASSAGE_WINDOW);
      const ids = await this.tokenizeAll(window.map((p) => p.text), this.profile.passagePrefix);
      const ranges = withSentences ? await this.sentenceRangesOf(window, ids) : null;
      const batches = planBatches(
        ids.map((row) => row.length),
        this.batchLimits,
      );
      for (const [n, batch] of batches.entries()) {
        // Let pending I/O (Telegram updates, timers) run between forward passes.
        if (n > 0) await nextTurn();
        const output = await this.forward(
          batch.map((i) => ids[i]!),
          ranges && batch.map((i) => ranges[i] ?? new Array<null>(window[i]!.sentences.length).fill(null)),
        );
        batch.forEach((i, row) => {
          out[start + i] = { vector: output.vectors[row]!, sentences: output.ranges?.[row] ?? [] };
        });
        done += batch.length;
        onProgress?.(done, passages.length);
      }
    }
    return out;
  }

  /**
   * Where each passage's sentences stand among its token ids (`sentenceRanges`); null for a passage
   * whose pieces do not add up to its ids. No model run: for checking how often they do.
   */
  async placeSentences(passages: readonly PassageWithSentences[]): Promise<Array<Array<TokenRange | null> | null>> {
    return this.sentenceRangesOf(passages, await this.tokenizeAll(passages.map((p) => p.text), this.profile.passagePrefix));
  }

  /** Each passage's sentence token ranges (`sentenceRanges`), null for a passage whose pieces do not add up to its ids. */
  private async sentenceRangesOf(passages: readonly PassageWithSentences[], ids: readonly number[][]): Promise<Array<Array<TokenRange | null> | null>> {
    const special = (this.special ??= specialTokensOf(this.extractor));
    const prefix = this.profile.passagePrefix.trim();
    const prefixIds = prefix ? encodeBare(this.extractor, prefix) : [];
    const result: Array<Array<TokenRange | null> | null> = [];
    let sliceStarted = performance.now();
    for (const [i, passage] of passages.entries()) {
      const pieces = passagePieces(passage);
      const pieceIds = [prefixIds, ...pieces.map((piece) => encodeBare(this.extractor, nfc(piece.text).trim()))];
      const ranges = sentenceRanges(ids[i]!, pieceIds, [-1, ...pieces.map((p) => p.sentence)], passage.sentences.length, special);
      if (!ranges) this.totals.unalignedPassages++;
      result.push(ranges);
      const now = performance.now();
      if (now - sliceStarted >= TOKENIZE_SLICE_MS) {
        this.totals.tokenizeMs += now - sliceStarted;
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    this.totals.tokenizeMs += performance.now() - sliceStarted;
    return result;
  }

  /** Embeds a question with the query prefix. */
  async embedQuery(text: string): Promise<Float32Array> {
    this.assertUsable();
    const [ids] = await this.tokenizeAll([text], this.profile.queryPrefix);
    const [vector] = (await this.forward([ids!], null)).vectors;
    if (!vector) throw new Error("the model returned no vector for the query");
    return vector;
  }

  /**
   * The token ids the model is given for each text: prefix, NFC, special tokens, cut at the
   * profile's window. Public so a benchmark can run the same ids through onnxruntime directly.
   */
  async tokenizeAll(texts: readonly string[], prefix: string): Promise<number[][]> {
    const ids: number[][] = [];
    let sliceStarted = performance.now();
    for (const text of texts) {
      ids.push(tokenize(this.extractor, prefix + nfc(text), this.profile.maxTokens));
      const now = performance.now();
      if (now - sliceStarted >= TOKENIZE_SLICE_MS && ids.length < texts.length) {
        this.totals.tokenizeMs += now - sliceStarted;
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    this.totals.tokenizeMs += performance.now() - sliceStarted;
    return ids;
  }

  /** One forward pass over already tokenised rows (pooling their `ranges` too, when given), counted in {@link counters}. */
  private async forward(
    rows: number[][],
    ranges: Array<Array<TokenRange | null>> | null,
  ): Promise<{ vectors: Float32Array[]; ranges: Array<Array<Float32Array | null>> | null }> {
    const output = ranges ? await this.encoder.runWithRanges(rows, ranges, this.totals) : { vectors: await this.encoder.run(rows, this.totals), ranges: null };
    let longest = 0;
    for (const row of rows) {
      this.totals.tokens += row.length;
      longest = Math.max(longest, row.length);
    }
    this.totals.paddedTokens += rows.length * longest;
    this.totals.texts += rows.length;
    this.totals.batches++;
    if (output.vectors.length !== rows.length) throw new Error(`the model returned ${output.vectors.length} vectors for ${rows.length} texts`);
    return output;
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

/**
 * Token ids of one text, special tokens included, cut at `maxTokens` the way transformers.js's
 * `truncation: true` cuts (the tail goes, closing special token included), so that vectors match
 * what the feature-extraction pipeline computed for indexes built before.
 */
/** Token ids of a piece of text, no special tokens: a passage's piece (see `sentence-tokens.ts`). */
function encodeBare(extractor: FeatureExtractionPipeline, text: string): number[] {
  return text ? extractor.tokenizer.encode(text, { add_special_tokens: false }) : [];
}

/** The ids the tokenizer puts before and after a text (e5: `<s>` and `</s>`), found on a probe text. */
function specialTokensOf(extractor: FeatureExtractionPipeline): { bos: number[]; eos: number[] } {
  const probe = "Hà Nội";
  const full = extractor.tokenizer.encode(probe);
  const bare = encodeBare(extractor, probe);
  for (let at = 0; at + bare.length <= full.length; at++) {
    if (bare.every((id, k) => full[at + k] === id)) return { bos: full.slice(0, at), eos: full.slice(at + bare.length) };
  }
  return { bos: [], eos: [] };
}

function tokenize(extractor: FeatureExtractionPipeline, text: string, maxTokens: number): number[] {
  const ids = extractor.tokenizer.encode(text);
  // The tokenizer's own limit too: some exports set model_max_length below the model's window.
  const limit = Math.min(maxTokens, extractor.tokenizer.model_max_length ?? Infinity);
  if (ids.length > limit) ids.length = limit;
  return ids;
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
