/**
 * `npm run bench:ingest [-- --corpus FILE --index DIR --limit N]`: ingest the 2,653-article news
 * corpus (or FILE, e.g. one from `scale-corpus.ts`; or its first N articles) from scratch into a
 * temporary index (or DIR, kept for `bench:query -- --index DIR`) and report throughput, peak
 * memory and the share of time spent outside the model. Uses the configured model when it can be
 * loaded (dense on), else lexical only.
 *
 * `npm run bench:ingest -- --raw [--limit N --rounds R]`: the product against raw onnxruntime-node
 * on the same passages, side by side in one run (see ingest-raw.ts; needs a local model folder:
 * `EMBEDDING_MODEL=/path/to/multilingual-e5-small ALLOW_REMOTE_MODELS=false`).
 */
import "dotenv/config";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ingest } from "../src/app";
import { loadConfig } from "../src/config";
import { loadEmbedderOrExplain } from "../src/embed";
import { createLogger } from "../src/logger";
import { rawComparison } from "./ingest-raw";
import { NEWS, peakRssMiB, requireSharedData } from "./shared-data";

const { values } = parseArgs({
  options: {
    corpus: { type: "string" },
    index: { type: "string" },
    limit: { type: "string" },
    raw: { type: "boolean", default: false },
    rounds: { type: "string", default: "8" },
  },
});
requireSharedData();
const config = loadConfig(process.env);
const logger = createLogger("warn");

if (values.raw) {
  const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger, { bulk: true });
  if (!embedder) {
    process.stderr.write(`--raw needs the model (${reason}): EMBEDDING_MODEL=/path/to/model-folder ALLOW_REMOTE_MODELS=false\n`);
    process.exit(2);
  }
  const report = await rawComparison({
    config,
    logger,
    embedder,
    corpus: values.corpus ?? NEWS,
    limit: Number(values.limit ?? 300),
    rounds: Number(values.rounds),
  });
  console.log(JSON.stringify(report, null, 2));
  await embedder.dispose();
  process.exit(0);
}
let corpus = values.corpus ?? NEWS;
if (values.limit) {
  // The first N articles, in a file of their own under /tmp (never in the project).
  const lines = (await fs.readFile(corpus, "utf8")).split("\n").filter((l) => l.trim());
  corpus = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "bench-ingest-corpus-")), "corpus.jsonl");
  await fs.writeFile(corpus, lines.slice(0, Number(values.limit)).join("\n"));
}
const indexDir = values.index ?? (await fs.mkdtemp(path.join(os.tmpdir(), "bench-ingest-")));
const started = performance.now();
const cpuStarted = process.cpuUsage();
const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger, { bulk: true });
const modelMs = performance.now() - started;
// As `npm run ingest` runs it: the new version is not loaded afterwards (that is the bot's load, measured by bench:query).
const result = await ingest({ config: { ...config, indexDir }, logger, embedder, denseOffReason: reason, paths: [corpus], rebuild: true, returnIndex: false });
if (values.limit) await fs.rm(path.dirname(corpus), { recursive: true, force: true });
const wallMs = performance.now() - started;
const cpuUsed = process.cpuUsage(cpuStarted);
const du = await fs.readdir(indexDir, { recursive: true, withFileTypes: true });
let bytes = 0;
for (const entry of du) if (entry.isFile()) bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
if (!values.index) await fs.rm(indexDir, { recursive: true, force: true });

const seconds = wallMs / 1000;
const report = {
  articles: result.articles,
  passages: result.passages,
  dense: embedder !== null,
  denseOffReason: reason,
  wallSeconds: +seconds.toFixed(2),
  // CPU time of this process (user + system): less disturbed than wall time by a busy machine.
  cpuSeconds: +((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(2),
  modelLoadSeconds: +(modelMs / 1000).toFixed(2),
  articlesPerSecond: +(result.articles / seconds).toFixed(1),
  passagesPerSecond: +(result.passages / seconds).toFixed(1),
  shareOutsideInference: +(1 - result.embedMs / wallMs).toFixed(3),
  peakRssMiB: +peakRssMiB().toFixed(0),
  indexMiB: +(bytes / 2 ** 20).toFixed(1),
  skipped: result.failures.length,
};
console.log(JSON.stringify(report, null, 2));
