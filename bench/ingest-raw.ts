/**
 * `npm run bench:ingest -- --raw [--limit N] [--rounds R]`: the product's ingest against the raw
 * limit of this machine, in one process, on the first N articles (default 300) of the news corpus.
 *
 * (a) raw: onnxruntime-node runs the same ONNX graph (`<model>/onnx/model_quantized.onnx` for q8)
 *     over the same tokenised passages, in the same batches, with the same thread count;
 * (b) the product's embedder (`embedPassages`) over the same passages;
 * (c) the product's full ingest of the same articles (parse, chunk, embed, HNSW, BM25, save).
 *
 * (a) and (b) alternate round by round (a round is a run of consecutive batches; which side goes
 * first alternates too), so that a noisy, shared machine slows both alike. (c) runs last, once;
 * its breakdown comes from the build's progress phases.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FeatureExtractionPipeline } from "@huggingface/transformers";
import { ingest } from "../src/app";
import { chunkArticle, chunkText } from "../src/chunk";
import type { Config } from "../src/config";
import type { TransformersEmbedder } from "../src/embed";
import { planBatches } from "../src/embed";
import { loadCorpus } from "../src/ingest";
import type { Logger } from "../src/logger";
import type { BuildProgress } from "../src/store/build";
import { nfc } from "../src/text/vietnamese";
import { RawOnnx } from "./raw-onnx";
import { peakRssMiB } from "./shared-data";

export interface RawComparisonOptions {
  config: Config;
  logger: Logger;
  embedder: TransformersEmbedder;
  corpus: string;
  limit: number;
  rounds: number;
}

export async function rawComparison(options: RawComparisonOptions): Promise<Record<string, unknown>> {
  const { config, logger, embedder } = options;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "bench-ingest-raw-"));
  try {
    // The first N articles, as a corpus file of their own (in /tmp, never in the project).
    const lines = (await fs.readFile(options.corpus, "utf8")).split("\n").filter((l) => l.trim());
    const corpusFile = path.join(root, "corpus.jsonl");
    await fs.writeFile(corpusFile, lines.slice(0, options.limit).join("\n"));
    const { articles } = await loadCorpus([corpusFile]);

    // The passages exactly as src/store/build.ts hands them to the embedder: title, newline, chunk.
    const texts = articles.flatMap((article) =>
      chunkArticle(article, config.chunk).map((chunk) => `${article.title}\n${chunkText(article, chunk)}`),
    );

    // The same token ids the product computes (prefix, NFC, truncation at the profile's window).
    const tokenizer = (embedder as unknown as { extractor: FeatureExtractionPipeline }).extractor.tokenizer;
    const maxTokens = embedder.profile.maxTokens;
    let t = performance.now();
    const ids = texts.map((text) => tokenizer.encode(embedder.passagePrefix + nfc(text)).slice(0, maxTokens));
    const tokenizeMs = performance.now() - t;
    const lengths = ids.map((row) => row.length);
    const tokens = lengths.reduce((a, b) => a + b, 0);

    // The product's plan: padded characters (before) — the share of padding in it, and in a plan by tokens.
    const charLengths = texts.map((text) => (embedder.passagePrefix + nfc(text)).length);
    const byChars = planBatches(charLengths, { maxItems: config.embedding.batchSize, maxCharacters: 16_000 });
    const byTokens = planBatches(lengths, { maxItems: config.embedding.batchSize, maxCharacters: 4_096 });
    const padded = (plan: number[][]) => plan.reduce((sum, batch) => sum + batch.length * Math.max(...batch.map((i) => lengths[i]!)), 0);
    const plan = byChars;

    const raw = await RawOnnx.load(
      RawOnnx.fileFor(config.embedding.model, config.embedding.dtype),
      config.embedding.threads,
      tokenizer.pad_token_id ?? 1,
    );
    // Warm-up, both sides: first runs allocate the session's arenas.
    for (const batch of plan.slice(0, 2)) {
      await raw.embed(batch.map((i) => ids[i]!));
      await embedder.embedPassages(batch.map((i) => texts[i]!));
    }
    Object.assign(raw.times, { feedMs: 0, runMs: 0, poolMs: 0, passages: 0 });

    // Rounds of consecutive batches; the product re-plans each round's texts into the same batches.
    const rounds = Math.max(1, Math.min(options.rounds, plan.length));
    const perRound = Math.ceil(plan.length / rounds);
    let productMs = 0;
    let worstCosine = 1;
    for (let r = 0; r * perRound < plan.length; r++) {
      const batches = plan.slice(r * perRound, (r + 1) * perRound);
      const members = batches.flat();
      const runRaw = async () => {
        const out: Float32Array[] = [];
        for (const batch of batches) out.push(...(await raw.embed(batch.map((i) => ids[i]!))));
        return out;
      };
      const runProduct = async () => {
        const t0 = performance.now();
        const out = await embedder.embedPassages(members.map((i) => texts[i]!));
        productMs += performance.now() - t0;
        return out;
      };
      let rawVectors: Float32Array[];
      let productVectors: Float32Array[];
      if (r % 2 === 0) {
        rawVectors = await runRaw();
        productVectors = await runProduct();
      } else {
        productVectors = await runProduct();
        rawVectors = await runRaw();
      }
      // Same passages, same vectors: the comparison is only fair if both compute the same thing.
      members.forEach((_, k) => (worstCosine = Math.min(worstCosine, dot(rawVectors[k]!, productVectors[k]!))));
      process.stderr.write(`round ${r + 1}/${Math.ceil(plan.length / perRound)}: ${members.length} passages\n`);
    }
    await raw.release();

    // (c) the full ingest of the same articles, its phases timed from the build's progress reports.
    // "index" is reported twice: before the HNSW insertion, then before the lexical build.
    const phases: Array<{ phase: BuildProgress["phase"]; at: number }> = [];
    const onProgress = (p: BuildProgress) => {
      if (p.phase !== "embed") phases.push({ phase: p.phase, at: performance.now() });
    };
    t = performance.now();
    const result = await ingest({
      config: { ...config, indexDir: path.join(root, "index") },
      logger,
      embedder,
      denseOffReason: null,
      paths: [corpusFile],
      rebuild: true,
      onProgress,
    });
    const ingestMs = performance.now() - t;
    const at = (phase: string, nth = 0) => phases.filter((p) => p.phase === phase)[nth]?.at ?? Number.NaN;
    const buildStart = t + (ingestMs - result.totalMs);
    const hnswStart = at("index", 0);
    const lexicalStart = at("index", 1);
    const saveStart = at("save");
    const breakdownMs = {
      parse: ingestMs - result.totalMs,
      chunk: hnswStart - buildStart - result.embedMs,
      embed: result.embedMs,
      hnsw: lexicalStart - hnswStart,
      bm25AndVocabulary: saveStart - lexicalStart,
      save: t + ingestMs - saveStart,
    };

    const rate = (n: number, ms: number) => +((n * 1000) / ms).toFixed(1);
    const rawRate = rate(raw.times.passages, raw.times.runMs);
    const productRate = rate(texts.length, productMs);
    const ingestRate = rate(result.passages, ingestMs);
    return {
      articles: articles.length,
      passages: texts.length,
      meanTokens: +(tokens / texts.length).toFixed(1),
      threads: config.embedding.threads,
      batchSize: config.embedding.batchSize,
      batches: plan.length,
      paddingShare: {
        charPlan: +(1 - tokens / padded(byChars)).toFixed(4),
        tokenPlan: +(1 - tokens / padded(byTokens)).toFixed(4),
        used: +(1 - tokens / padded(plan)).toFixed(4),
      },
      tokenizeMsPerPassage: +(tokenizeMs / texts.length).toFixed(3),
      raw: {
        passagesPerSecond: rawRate,
        sessionRunMs: Math.round(raw.times.runMs),
        feedMs: Math.round(raw.times.feedMs),
        poolMs: Math.round(raw.times.poolMs),
      },
      product: {
        passagesPerSecond: productRate,
        ratioToRaw: +(productRate / rawRate).toFixed(3),
        ms: Math.round(productMs),
        overRawRunMs: Math.round(productMs - raw.times.runMs),
        worstCosineToRaw: +worstCosine.toFixed(6),
      },
      ingest: {
        passagesPerSecond: ingestRate,
        ratioToRaw: +(ingestRate / rawRate).toFixed(3),
        ms: Math.round(ingestMs),
        breakdownMs: Object.fromEntries(Object.entries(breakdownMs).map(([k, v]) => [k, Math.round(v)])),
      },
      peakRssMiB: Math.round(peakRssMiB()),
    };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
