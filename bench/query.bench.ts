/**
 * `npm run bench:query [-- --sizes 100000,1000000 --ef 64,96,128,192 --questions 1000 --cache DIR --hnsw-only]`
 * `npm run bench:query -- --index DIR [--sets vinewsqa-dev] --ask-only [--compare]` (an index built
 * before, e.g. by `bench:scale`: only load and ask are measured; `--compare`: exhaustive and pruned
 * lexical search side by side, question by question)
 * With a model (EMBEDDING_MODEL=/path/to/model-folder ALLOW_REMOTE_MODELS=false) ask runs with
 * dense on, and the report adds the model's load time (cold start: model + index) and the query
 * embedding alone. `SEARCH_THREAD=off|on` in the environment: whole articles searched on the
 * answering thread or on a second one (the report says which); compare them in processes run in
 * turn, on the same index (README, scale section, "Thirteenth session").
 * (the default, 100k vectors, takes a few minutes; 1M vectors take 20-30 minutes to build: with
 * `--cache DIR` the built graph and the exact neighbours are kept there, so a second run only
 * measures, on a quiet machine)
 *
 * 1. ask latency (retrieve + answer) over the 2,653-article news index, with real questions.
 * 2. HNSW at scale: synthetic 384-dimension vectors (clustered, like sentence embeddings),
 *    build time, query latency and recall@10 against exact brute force, per efSearch.
 */
import "dotenv/config";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ingest, percentile, QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { loadEmbedderOrExplain } from "../src/embed";
import { createLogger } from "../src/logger";
import { SegmentedLexical, VectorIndex } from "../src/store";
import { mulberry32 } from "./scale-corpus";
import { NEWS, peakRssMiB, requireSharedData, sampleQaItems } from "./shared-data";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000" },
    ef: { type: "string", default: "64,96,128,192" },
    questions: { type: "string", default: "1000" },
    queries: { type: "string", default: "200" },
    cache: { type: "string" },
    "hnsw-only": { type: "boolean", default: false },
    "ask-only": { type: "boolean", default: false },
    index: { type: "string" },
    sets: { type: "string", default: "vinewsqa-dev,xquad-vi" },
    compare: { type: "boolean", default: false },
  },
});

requireSharedData();
const config = loadConfig(process.env);
const logger = createLogger("warn");

// 1. ask latency on the news index.
if (!values["hnsw-only"]) await benchAsk();

async function benchAsk(): Promise<void> {
  const indexDir = values.index ?? (await fs.mkdtemp(path.join(os.tmpdir(), "bench-query-")));
  const modelStarted = performance.now();
  const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger);
  const modelLoadSeconds = (performance.now() - modelStarted) / 1000;
  if (!values.index) await ingest({ config: { ...config, indexDir }, logger, embedder, denseOffReason: reason, paths: [NEWS] });
  const rssBeforeLoadMiB = process.memoryUsage().rss / 2 ** 20;
  const openStarted = performance.now();
  const service = await QaService.open({ config: { ...config, indexDir }, logger, embedder, denseOffReason: reason });
  const loadSeconds = (performance.now() - openStarted) / 1000;
  const rssAfterLoadMiB = process.memoryUsage().rss / 2 ** 20;
  const sample = await sampleQaItems(values.sets, Number(values.questions));
  // --compare: each question is asked with exhaustive and with pruned lexical search, in turn (which
  // goes first alternates), so that a noisy machine slows both alike.
  const pruned = SegmentedLexical.prototype.search;
  const strategies = values.compare ? (["exhaustive", "pruned"] as const) : (["current"] as const);
  const use = (strategy: string) => {
    SegmentedLexical.prototype.search = strategy === "exhaustive" ? SegmentedLexical.prototype.searchExhaustive : pruned;
  };
  for (const item of sample.slice(0, 50)) {
    // warm-up
    for (const strategy of strategies) {
      use(strategy);
      await service.ask(item.question);
    }
  }
  // Wall time is what a reader waits; CPU time (process.cpuUsage) is less disturbed by other
  // processes on a shared machine.
  const times = new Map(strategies.map((s) => [s as string, { wall: [] as number[], cpu: [] as number[] }]));
  for (const [k, item] of sample.entries()) {
    for (const strategy of k % 2 === 0 ? strategies : [...strategies].reverse()) {
      use(strategy);
      const t = performance.now();
      const c = process.cpuUsage();
      await service.ask(item.question);
      const used = process.cpuUsage(c);
      times.get(strategy)!.wall.push(performance.now() - t);
      times.get(strategy)!.cpu.push((used.user + used.system) / 1000);
    }
  }
  use("pruned");
  // The query embedding alone (tokenise, one forward pass, pool), the dense side's fixed cost per question.
  const embedWall: number[] = [];
  const embedCpu: number[] = [];
  if (embedder) {
    for (const item of sample) {
      const t = performance.now();
      const c = process.cpuUsage();
      await embedder.embedQuery(item.question);
      const used = process.cpuUsage(c);
      embedWall.push(performance.now() - t);
      embedCpu.push((used.user + used.system) / 1000);
    }
  }
  const latency = ({ wall, cpu }: { wall: number[]; cpu: number[] }) => ({
    questions: wall.length,
    p50Ms: +percentile(wall, 0.5).toFixed(2),
    p95Ms: +percentile(wall, 0.95).toFixed(2),
    p99Ms: +percentile(wall, 0.99).toFixed(2),
    cpuMs: { p50: +percentile(cpu, 0.5).toFixed(2), p95: +percentile(cpu, 0.95).toFixed(2), p99: +percentile(cpu, 0.99).toFixed(2) },
  });
  if (!values.index) await fs.rm(indexDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      ask: {
        articles: service.index.articles.length,
        passages: service.index.chunkCount,
        dense: service.denseOn,
        // Whether the searches ran on two threads (`SEARCH_THREAD`).
        searchThread: service.index.searchedOnTwoThreads,
        modelLoadSeconds: embedder ? +modelLoadSeconds.toFixed(2) : null,
        indexLoadSeconds: +loadSeconds.toFixed(2),
        rssBeforeLoadMiB: +rssBeforeLoadMiB.toFixed(0),
        rssAfterLoadMiB: +rssAfterLoadMiB.toFixed(0),
        // After the questions: what the bot holds once its caches (article texts, postings) are warm.
        rssAfterAskMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(0),
        ...(values.compare ? Object.fromEntries([...times].map(([s, t]) => [s, latency(t)])) : latency(times.get("current")!)),
        ...(embedder ? { queryEmbedding: latency({ wall: embedWall, cpu: embedCpu }) } : {}),
        peakRssMiB: +peakRssMiB().toFixed(0),
      },
    }),
  );
}

// 2. HNSW at scale.
if (values["ask-only"]) process.exit(0);
const DIMS = 384;
const efs = values.ef.split(",").map(Number);
for (const size of values.sizes.split(",").map(Number)) {
  const rng = mulberry32(size);
  const centres = Array.from({ length: 256 }, () => randomUnit(rng));
  const data = new Float32Array(size * DIMS);
  for (let i = 0; i < size; i++) data.set(near(centres[Math.floor(rng() * centres.length)]!, rng), i * DIMS);
  const queries = Array.from({ length: Number(values.queries) }, () => near(centres[Math.floor(rng() * centres.length)]!, rng));

  const { m, efConstruction } = config.hnsw;
  const graphFile = values.cache && path.join(values.cache, `hnsw-${size}-m${m}-efc${efConstruction}.bin`);
  const truthFile = values.cache && path.join(values.cache, `truth-${size}-q${queries.length}.json`);
  let buildSeconds: number | null = null;
  let index: VectorIndex;
  if (graphFile && (await exists(graphFile))) {
    index = await VectorIndex.read(graphFile, DIMS, config.hnsw);
  } else {
    const t0 = performance.now();
    index = VectorIndex.create(DIMS, config.hnsw, size);
    for (let i = 0; i < size; i++) index.add(i, data.subarray(i * DIMS, (i + 1) * DIMS));
    buildSeconds = (performance.now() - t0) / 1000;
    if (graphFile) {
      await fs.mkdir(values.cache!, { recursive: true });
      await index.write(graphFile);
    }
  }

  let truth: number[][];
  if (truthFile && (await exists(truthFile))) truth = JSON.parse(await fs.readFile(truthFile, "utf8")) as number[][];
  else {
    truth = queries.map((q) => bruteForce(data, q, 10));
    if (truthFile) await fs.writeFile(truthFile, JSON.stringify(truth));
  }
  const rows = efs.map((ef) => {
    index.setEfSearch(ef);
    for (const q of queries) index.search(q, 10); // warm: a serving index has its hot pages in memory
    const times: number[] = [];
    let found = 0;
    queries.forEach((q, k) => {
      const t = performance.now();
      const hits = index.search(q, 10);
      times.push(performance.now() - t);
      const want = new Set(truth[k]);
      found += hits.filter((h) => want.has(h.id)).length;
    });
    return { efSearch: ef, recallAt10: +(found / (10 * queries.length)).toFixed(4), p50Ms: +percentile(times, 0.5).toFixed(3), p95Ms: +percentile(times, 0.95).toFixed(3) };
  });
  console.log(JSON.stringify({ hnsw: { vectors: size, dims: DIMS, m, efConstruction, buildSeconds: buildSeconds === null ? "cached" : +buildSeconds.toFixed(1), peakRssMiB: +peakRssMiB().toFixed(0), results: rows } }));
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}


function normalise(v: Float32Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

function randomUnit(rng: () => number): Float32Array {
  return normalise(Float32Array.from({ length: DIMS }, () => rng() * 2 - 1));
}

/** A point scattered around a cluster centre: sentence embeddings cluster by topic. */
function near(centre: Float32Array, rng: () => number): Float32Array {
  return normalise(centre.map((x) => x + (rng() * 2 - 1) * 0.08));
}

function bruteForce(data: Float32Array, q: Float32Array, k: number): number[] {
  const n = data.length / DIMS;
  const best: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    let dot = 0;
    const off = i * DIMS;
    for (let d = 0; d < DIMS; d++) dot += data[off + d]! * q[d]!;
    if (best.length < k || dot > best[best.length - 1]![0]) {
      best.push([dot, i]);
      best.sort((a, b) => b[0] - a[0]);
      if (best.length > k) best.pop();
    }
  }
  return best.map(([, i]) => i);
}
