/**
 * `npm run bench:ingest [-- --corpus FILE --index DIR]`: ingest the 2,653-article news corpus (or
 * FILE, e.g. one from `scale-corpus.ts`) from scratch into a temporary index (or DIR, kept for
 * `bench:query -- --index DIR`) and report throughput, peak memory and the share of time spent
 * outside the model. Uses the configured model when it can be loaded (dense on), else lexical only.
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
import { NEWS, peakRssMiB, requireSharedData } from "./shared-data";

const { values } = parseArgs({ options: { corpus: { type: "string" }, index: { type: "string" } } });
requireSharedData();
const config = loadConfig(process.env);
const logger = createLogger("warn");
const indexDir = values.index ?? (await fs.mkdtemp(path.join(os.tmpdir(), "bench-ingest-")));
const started = performance.now();
const cpuStarted = process.cpuUsage();
const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger);
const modelMs = performance.now() - started;
const result = await ingest({ config: { ...config, indexDir }, logger, embedder, denseOffReason: reason, paths: [values.corpus ?? NEWS], rebuild: true });
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
