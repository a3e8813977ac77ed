/**
 * `npm run bench:reindex`: what a reader waits for while the bot re-indexes, with the build on the
 * answering thread (as before) and in the build worker (now), side by side in one run.
 *
 * The corpus is the first `--articles N` (default: all 2,653) articles of ../shared/data's news
 * file. Each mode runs one full re-index (`/reindex full`: everything rebuilt and saved) while a
 * reader asks a question every `--interval-ms` (default 250, as bench:hostile: well below what one
 * process answers on a busy machine, so the waits measure the build, not a queue of questions) ms; a wait is measured from the
 * question's scheduled time, so a blocked event loop counts. Also reported: the event loop's
 * longest stall (perf_hooks) and, apart, what loading a version costs the answering thread
 * (`loadIndex`, which the worker path still runs there before the swap).
 *
 * Lexical only by default; `--model DIR` (or EMBEDDING_MODEL) embeds with a local model folder too.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { ingest, percentile, QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/logger";
import { loadIndex } from "../src/store";
import { quietWaits, readerWaits } from "../tests/helpers/reader-wait";
import { NEWS, requireSharedData } from "./shared-data";

const { values } = parseArgs({
  options: { articles: { type: "string" }, "interval-ms": { type: "string", default: "250" }, model: { type: "string" } },
});
requireSharedData();
const INTERVAL_MS = Number(values["interval-ms"]);
const QUESTION = "Mưa lớn gây ngập ở đâu?";

const root = await fs.mkdtemp(path.join(os.tmpdir(), "bench-reindex-"));
const corpusDir = path.join(root, "corpus");
await fs.mkdir(corpusDir, { recursive: true });
const lines = (await fs.readFile(NEWS, "utf8")).split("\n").filter((l) => l.trim());
await fs.writeFile(path.join(corpusDir, "news.jsonl"), lines.slice(0, values.articles ? Number(values.articles) : undefined).join("\n"));
const model = values.model ?? process.env.EMBEDDING_MODEL;
const config = loadConfig({
  ...process.env,
  CORPUS_DIR: corpusDir,
  INDEX_DIR: path.join(root, "embeddings"),
  ...(model ? { EMBEDDING_MODEL: path.resolve(model), DENSE_RETRIEVAL: "auto", ALLOW_REMOTE_MODELS: "false" } : { DENSE_RETRIEVAL: "off" }),
});
process.stderr.write(`building the first index of ${lines.length} articles…\n`);
const service = await QaService.open({ config, logger: silentLogger, warnDenseOff: false });
const ask = () => service.ask(QUESTION);
await quietWaits(ask, 5); // warm-up
const usual = await quietWaits(ask, 40);
process.stderr.write(`${service.index.articles.length} articles, dense ${service.denseOn ? "on" : "off"}; usual wait p50 ${usual.p50Ms.toFixed(0)} ms, max ${usual.maxMs.toFixed(0)} ms\n`);

/** One full re-index while the reader asks: its waits, the loop's longest stall, the wall time. */
async function measure(mode: string, reindex: () => Promise<unknown>) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const { waits } = await readerWaits(ask, reindex, INTERVAL_MS);
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const row = {
    mode,
    buildSeconds: +seconds.toFixed(1),
    questions: waits.waitsMs.length,
    readerP50Ms: Math.round(waits.p50Ms),
    readerP95Ms: Math.round(percentile(waits.waitsMs, 0.95)),
    readerMaxMs: Math.round(waits.maxMs),
    readerMaxOverUsualMs: Math.round(waits.maxMs - usual.p50Ms),
    loopMaxStallMs: Math.round(delay.max / 1e6),
  };
  process.stderr.write(`${JSON.stringify(row)}\n`);
  return row;
}

// Between the modes: collect what the previous build left, so that neither mode pays for the
// other's garbage (a major collection of it stalled the second mode for 0.7 s in a first version).
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const settle = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 2000));
};

const rows = [];
await settle();
// Before: ingest() on this thread, then the swap (what QaService.reindex did until the worker).
rows.push(
  await measure("in process (before)", async () => {
    const result = await ingest({ config, logger: silentLogger, embedder: service.embedder, denseOffReason: service.denseOffReason, rebuild: true, parser: service.parser });
    if (result.index) service.swap(result.index);
  }),
);
await settle();
// Now: the bot's own path: the build in a worker, then loadIndex and the swap here.
rows.push(await measure("build worker (after)", () => service.reindex({ full: true })!));

// What is left on this thread: loading the new version (JSON term dictionaries, vocabulary, articles).
const loadDelay = monitorEventLoopDelay({ resolution: 10 });
loadDelay.enable();
const loadStarted = performance.now();
await loadIndex(config.indexDir, { model: service.embedder ? { id: service.embedder.modelId, dimensions: service.embedder.dimensions } : null });
const loadMs = performance.now() - loadStarted;
loadDelay.disable();

console.log(
  JSON.stringify(
    {
      articles: service.index.articles.length,
      dense: service.denseOn,
      intervalMs: INTERVAL_MS,
      usualP50Ms: Math.round(usual.p50Ms),
      usualMaxMs: Math.round(usual.maxMs),
      rows,
      loadIndex: { ms: Math.round(loadMs), loopMaxStallMs: Math.round(loadDelay.max / 1e6) },
    },
    null,
    2,
  ),
);
await service.parser.close();
await fs.rm(root, { recursive: true, force: true });
