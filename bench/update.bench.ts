/**
 * `npm run bench:update [-- --articles 26530 --additions 100 --questions 300 --out DIR]`: what
 * `/add` costs on a large archive, lexical only (issue 14: "answered from the new index within
 * 5 s", "100 RSS items added one by one keep ask p95 within 20 % of a freshly built index").
 *
 * 1. A recombined N-article corpus (`scale-corpus.ts`) is linked into a corpus folder and built
 *    from scratch (a full build: segments of `SEGMENT_ARTICLES`).
 * 2. The bot's service is opened on it; ask latency (p50/p95) over vinewsqa-dev questions.
 * 3. `--additions` articles (another recombined corpus, new ids) are added one at a time as the
 *    bot adds one: a file written into the corpus folder, then `service.reindex()` naming that
 *    file (the build worker thread reads only it; the answering thread loads the new version,
 *    sharing the segments it holds).
 *    Each: the time until the new index is in service and answering, and the peak extra RSS of
 *    the process (both threads) over its RSS before, sampled every 10 ms.
 * 4. Ask latency again, on the index after the additions (many small segments, or merged).
 *
 * Corpora and the index go to DIR (default `$TMPDIR/newsroom-scale`), outside the repository.
 *
 * `--index BUILT`: start from an index already built from the same N-article corpus (e.g. by
 * `bench:scale` or `bench:ingest`) instead of building one (45 min at 200,000 articles). Its files
 * are hard-linked into the bench's folder: the additions write new files beside them and switch
 * the copy's CURRENT, so BUILT itself is left as it was.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ingest, percentile, QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { readManifestHead } from "../src/store";
import { corpusPath, DEFAULT_SCALE_DIR, scaleCorpus } from "./scale-corpus";
import { qaFile, requireSharedData } from "./shared-data";

const { values } = parseArgs({
  options: {
    articles: { type: "string", default: "26530" },
    additions: { type: "string", default: "100" },
    questions: { type: "string", default: "300" },
    out: { type: "string", default: DEFAULT_SCALE_DIR },
    index: { type: "string" },
  },
});
requireSharedData();
const n = Number(values.articles);
const additions = Number(values.additions);
const logger = createLogger("warn");
const source = await scaleCorpus(n, corpusPath(values.out, n));
const extra = await scaleCorpus(additions, path.join(values.out, `additions-${additions}.jsonl`), 2);
const corpusDir = path.join(values.out, `update-${n}`, "corpus");
const indexDir = path.join(values.out, `update-${n}`, "index");
await fs.rm(path.dirname(corpusDir), { recursive: true, force: true });
await fs.mkdir(path.join(corpusDir, "added"), { recursive: true });
// A large corpus is a folder of files (scale-corpus.ts): each is linked.
if ((await fs.stat(source)).isDirectory()) await linkTree(source, path.join(corpusDir, "archive"));
else await fs.link(source, path.join(corpusDir, "archive.jsonl"));
const config = { ...loadConfig({ ...process.env, DENSE_RETRIEVAL: "off" }), corpusDir, indexDir };

let started = performance.now();
if (values.index) await linkTree(values.index, indexDir);
else await ingest({ config, logger, embedder: null, denseOffReason: "bench: lexical only", rebuild: true, returnIndex: false });
const fullBuildSeconds = values.index ? null : (performance.now() - started) / 1000;

const service = await QaService.open({ config, logger, embedder: null, denseOffReason: "bench: lexical only", warnDenseOff: false });
const items = (await readQaFile(qaFile("vinewsqa-dev"))).slice(0, Number(values.questions));

async function askP95(): Promise<{ p50: number; p95: number }> {
  for (const item of items.slice(0, 30)) await service.ask(item.question); // warm-up
  const times: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    await service.ask(item.question);
    times.push(performance.now() - t0);
  }
  return { p50: +percentile(times, 0.5).toFixed(1), p95: +percentile(times, 0.95).toFixed(1) };
}

const fresh = await askP95();
const records = (await fs.readFile(extra, "utf8")).split("\n").filter(Boolean);
const seconds: number[] = [];
const extraMiB: number[] = [];
let merges = 0;
for (const [k, line] of records.entries()) {
  const record = { ...(JSON.parse(line) as Record<string, unknown>), id: `added_${String(k + 1).padStart(4, "0")}` };
  // The head only: the whole manifest (200,000 content hashes) would put ~100 MiB of the bench's own garbage into the RSS it measures.
  const segmentsBefore = (await readManifestHead(indexDir))!.segments.length;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  started = performance.now();
  const file = path.join(corpusDir, "added", `${record.id}.jsonl`);
  await fs.writeFile(file, `${JSON.stringify(record)}\n`);
  // As the admin service re-indexes after an /add: naming the one file written.
  const result = await service.reindex({ changes: { files: [file], removed: [] } })!;
  // Answering from the new index: one question asked of it.
  await service.ask(items[k % items.length]!.question);
  seconds.push((performance.now() - started) / 1000);
  clearInterval(sampler);
  extraMiB.push((peak - rssBefore) / 2 ** 20);
  if (!result.written || !service.index.article(record.id)) throw new Error(`addition ${k + 1} is not in the index`);
  if ((await readManifestHead(indexDir))!.segments.length < segmentsBefore) merges++;
}
const after = await askP95();
const segmentsAfter = (await readManifestHead(indexDir))!.segments.length;
const stat = (xs: number[]) => ({ p50: +percentile(xs, 0.5).toFixed(2), p95: +percentile(xs, 0.95).toFixed(2), max: +Math.max(...xs).toFixed(2) });
console.log(
  JSON.stringify(
    {
      articles: n,
      fullBuildSeconds: fullBuildSeconds === null ? `not built: ${values.index}` : +fullBuildSeconds.toFixed(1),
      additions,
      addSeconds: stat(seconds),
      addPeakExtraRssMiB: stat(extraMiB),
      merges,
      segmentsAfter,
      askMsFresh: fresh,
      askMsAfterAdditions: after,
      askP95Ratio: +(after.p95 / fresh.p95).toFixed(2),
    },
    null,
    2,
  ),
);
await fs.rm(path.dirname(corpusDir), { recursive: true, force: true });
process.exit(0);

/** Recreates the folder tree `from` at `to` with every file hard-linked (as `cp -al`). */
async function linkTree(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) await linkTree(source, target);
    else await fs.link(source, target);
  }
}
