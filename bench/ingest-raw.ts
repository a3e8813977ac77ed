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
import { ingest } from "../src/app";
import { chunkArticle, chunkText } from "../src/chunk";
import type { Config } from "../src/config";
import { PASSAGE_WINDOW, paddedTokens, planBatches, type EmbedCounters, type TransformersEmbedder } from "../src/embed";
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
    const ids = await embedder.tokenizeAll(texts, embedder.passagePrefix);
    const lengths = ids.map((row) => row.length);
    const tokens = lengths.reduce((a, b) => a + b, 0);

    // The product's plan, by padded tokens, per window of PASSAGE_WINDOW passages in input order
    // (as embedPassages plans); and the plan by padded characters it replaced (16 passages, 16,000
    // characters, all at once), for the share of padding in each.
    const windows: number[][][] = [];
    for (let start = 0; start < texts.length; start += PASSAGE_WINDOW) {
      const window = planBatches(lengths.slice(start, start + PASSAGE_WINDOW), embedder.batchLimits);
      windows.push(window.map((batch) => batch.map((i) => start + i)));
    }
    const plan = windows.flat();
    const charLengths = texts.map((text) => (embedder.passagePrefix + nfc(text)).length);
    const byChars = planBatches(charLengths, { maxItems: embedder.batchLimits.maxItems, maxTokens: 16_000 });
    const paddingShare = (batches: number[][]) => +(1 - tokens / paddedTokens(lengths, batches)).toFixed(4);

    const raw = await RawOnnx.load(
      RawOnnx.fileFor(config.embedding.model, config.embedding.dtype),
      config.embedding.threads,
      await padTokenId(config.embedding.model),
    );
    // Warm-up, both sides: first runs allocate the session's arenas.
    for (const batch of plan.slice(0, 2)) {
      await raw.embed(batch.map((i) => ids[i]!));
      await embedder.embedPassages(batch.map((i) => texts[i]!));
    }
    Object.assign(raw.times, { feedMs: 0, runMs: 0, poolMs: 0, passages: 0 });
    const before = embedder.counters;

    // Rounds of consecutive batches; the product re-plans each round's texts into the same batches.
    // A round is a run of consecutive batches of one window: given its passages, the product plans
    // the same batches (the greedy plan restarts at a batch boundary).
    const perWindow = Math.max(1, Math.round(options.rounds / windows.length));
    const rounds = windows.flatMap((window) => {
      const size = Math.ceil(window.length / perWindow);
      return Array.from({ length: Math.ceil(window.length / size) }, (_, k) => window.slice(k * size, (k + 1) * size));
    });
    let productMs = 0;
    // CPU time (this process, all threads): less disturbed than wall time by other processes.
    const cpuMs = { raw: 0, product: 0 };
    const cpuOf = async <T>(side: keyof typeof cpuMs, run: () => Promise<T>): Promise<T> => {
      const c = process.cpuUsage();
      const result = await run();
      const used = process.cpuUsage(c);
      cpuMs[side] += (used.user + used.system) / 1000;
      return result;
    };
    let worstCosine = 1;
    for (const [r, batches] of rounds.entries()) {
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
        rawVectors = await cpuOf("raw", runRaw);
        productVectors = await cpuOf("product", runProduct);
      } else {
        productVectors = await cpuOf("product", runProduct);
        rawVectors = await cpuOf("raw", runRaw);
      }
      // Same passages, same vectors: the comparison is only fair if both compute the same thing.
      members.forEach((_, k) => (worstCosine = Math.min(worstCosine, dot(rawVectors[k]!, productVectors[k]!))));
      process.stderr.write(`round ${r + 1}/${rounds.length}: ${members.length} passages\n`);
    }
    await raw.release();
    const counters = difference(embedder.counters, before);
    // The product re-planned each round into the raw side's batches: same count, same padded tokens.
    if (counters.batches !== plan.length || counters.paddedTokens !== paddedTokens(lengths, plan)) {
      throw new Error(`the product ran ${counters.batches} batches (${counters.paddedTokens} padded tokens), raw ${plan.length} (${paddedTokens(lengths, plan)})`);
    }

    // (c) the full ingest of the same articles, its phases timed from the build's progress reports.
    // "index" is reported twice: before the HNSW insertion, then before the lexical build.
    const phases: Array<{ phase: BuildProgress["phase"]; at: number }> = [];
    const onProgress = (p: BuildProgress) => {
      if (p.phase !== "embed") phases.push({ phase: p.phase, at: performance.now() });
    };
    const beforeIngest = embedder.counters;
    const t = performance.now();
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
    const inIngest = difference(embedder.counters, beforeIngest);
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
      paddingShare: { byCharacters: paddingShare(byChars), byTokens: paddingShare(plan) },
      raw: {
        passagesPerSecond: rawRate,
        sessionRunMs: Math.round(raw.times.runMs),
        feedMs: Math.round(raw.times.feedMs),
        poolMs: Math.round(raw.times.poolMs),
        cpuMs: Math.round(cpuMs.raw),
      },
      product: {
        passagesPerSecond: productRate,
        ratioToRaw: +(productRate / rawRate).toFixed(3),
        ms: Math.round(productMs),
        cpuMs: Math.round(cpuMs.product),
        // CPU time of the raw side (feed, run, pool) over the product's: 1.0 is no overhead at all.
        cpuRatioToRaw: +(cpuMs.raw / cpuMs.product).toFixed(3),
        // Where the product's time went (its own counters), and what is left: awaits, yields, GC.
        breakdownMs: {
          tokenize: Math.round(counters.tokenizeMs),
          feed: Math.round(counters.feedMs),
          sessionRun: Math.round(counters.runMs),
          pool: Math.round(counters.poolMs),
          other: Math.round(productMs - counters.tokenizeMs - counters.feedMs - counters.runMs - counters.poolMs),
        },
        worstCosineToRaw: +worstCosine.toFixed(6),
      },
      ingest: {
        passagesPerSecond: ingestRate,
        // Measured after the rounds, so a change in the machine's load shows here; the estimate
        // multiplies the side-by-side ratio by the share of the ingest spent in the embedder.
        ratioToRaw: +(ingestRate / rawRate).toFixed(3),
        ratioToRawEstimate: +((productRate / rawRate) * (result.embedMs / ingestMs)).toFixed(3),
        ms: Math.round(ingestMs),
        breakdownMs: Object.fromEntries(Object.entries(breakdownMs).map(([k, v]) => [k, Math.round(v)])),
        // Inside the embed phase: the model, and the rest (tokenising, pooling, yields).
        embed: {
          sessionRunMs: Math.round(inIngest.runMs),
          outsideSessionRunMs: Math.round(result.embedMs - inIngest.runMs),
          tokenizeMs: Math.round(inIngest.tokenizeMs),
          paddingShare: +(1 - inIngest.tokens / inIngest.paddedTokens).toFixed(4),
        },
      },
      peakRssMiB: Math.round(peakRssMiB()),
    };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

function difference(after: EmbedCounters, before: EmbedCounters): EmbedCounters {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof EmbedCounters]])) as unknown as EmbedCounters;
}

/** The padding id of the model folder's tokenizer (the value hardly matters: padding is masked). */
async function padTokenId(folder: string): Promise<number> {
  const read = async (file: string) => JSON.parse(await fs.readFile(path.join(folder, file), "utf8")) as Record<string, unknown>;
  const { pad_token: pad } = await read("tokenizer_config.json");
  const { added_tokens: added } = (await read("tokenizer.json")) as { added_tokens?: Array<{ id: number; content: string }> };
  return added?.find((token) => token.content === pad)?.id ?? 0;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
