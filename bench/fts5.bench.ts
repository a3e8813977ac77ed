/**
 * `npm run bench:fts5 -- --index DIR [--sets vinewsqa-dev] [--questions 500] [--rounds 2]`
 *
 * Our search beside SQLite FTS5 on the same passages and the same questions (issue 14: "ask p95
 * ≤ 20 ms, faster than SQLite FTS5 on the same questions, measured side by side"). DIR is a built
 * index (e.g. by `bench:ingest`); it is only read. Lexical only, whatever `DENSE_RETRIEVAL` says.
 *
 * The index's passages (article title + passage text, with their article id: what our lexical
 * search ranks) and the questions (chosen as `bench:query` chooses them) are written to a
 * temporary folder; `bench/fts5.py` (Python 3, standard library) builds an FTS5 table over them
 * and answers each question with a plain bm25() query, 10 passages (see its header). Then, in
 * rounds, each of the four below makes one pass over every question; the passes' order is reversed
 * every other round (FTS5 first, then FTS5 last) so that a shared, noisy machine slows all alike.
 * One pass at a time, not question by question: a question's articles, tokenized by one pass,
 * would otherwise be in the cache of the next.
 *
 * - FTS5: the search alone (execute + fetchall), timed inside Python;
 * - ask: our whole answer (retrieval, reading, composing), as `bench:query` times it;
 * - retrieve: our retrieval alone, the ranking ask reads (passage and article BM25, coordination,
 *   sentence evidence, grouping), without reading or composing;
 * - passage BM25: our one lexical primitive (`CorpusIndex.searchLexical`, top 10 passages, the
 *   question analysed first), the like-for-like row for FTS5's query.
 *
 * Quality: recall@1 and recall@5 of the gold article (hits deduplicated to articles in rank
 * order), over the questions whose gold article is in the index (none is, in the 2,653 news
 * articles alone: build one with the QA set's articles for that, see README "Quality and speed").
 */
import "dotenv/config";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { percentile, QaService } from "../src/app";
import { chunkText } from "../src/chunk";
import { loadConfig } from "../src/config";
import { type QaItem } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { analyseQuery } from "../src/retrieve";
import { currentVersion, type CorpusIndex } from "../src/store";
import { requireSharedData, sampleQaItems } from "./shared-data";

const USAGE = "usage: npm run bench:fts5 -- --index DIR [--sets vinewsqa-dev] [--questions 500] [--rounds 2]\n";
const { values } = parseArgs({
  options: {
    index: { type: "string" },
    sets: { type: "string", default: "vinewsqa-dev" },
    questions: { type: "string", default: "500" },
    rounds: { type: "string", default: "2" },
  },
});
if (!values.index) {
  process.stderr.write(USAGE);
  process.exit(2);
}
requireSharedData();
const indexDir = path.resolve(values.index);
// QaService.open builds an index where there is none: this benchmark only reads one.
if (!(await currentVersion(indexDir))) {
  process.stderr.write(`No index in ${indexDir}: build one first (npm run bench:ingest, or npm run ingest -- --index DIR).\n${USAGE}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const logger = createLogger("warn");
// FTS5 is lexical only, and so are we here, whatever DENSE_RETRIEVAL says.
const embedding = { ...config.embedding, dense: "off" as const };
const service = await QaService.open({ config: { ...config, indexDir, embedding }, logger, warnDenseOff: false });
const index = service.index;

const sample = await sampleQaItems(values.sets, Number(values.questions));
const rounds = Number(values.rounds);
/** Questions whose gold article is in the index: those recall is measured on. */
const judged = sample.filter((item) => item.gold_article_id && index.article(item.gold_article_id)).length;

/** One way of answering a question: what is timed, and the article ids it ranks, best first. */
interface Side {
  name: string;
  wall: number[];
  cpu: number[];
  ranked: string[][];
}
interface OurSide extends Side {
  /** Answers one question; resolves with the article ids it ranks. */
  run(question: string): Promise<string[]>;
}
const fts5: Side = { name: "FTS5 search (bm25, 10 passages)", wall: [], cpu: [], ranked: [] };
const ourWay = (name: string, run: OurSide["run"]): OurSide => ({ name, run, wall: [], cpu: [], ranked: [] });
const ourWays = [
  // askWithEvidence is what ask runs (ask returns its answer alone): its ranking is the retrieval it read.
  ourWay("ours: ask (retrieve + read + compose)", async (question) => (await service.askWithEvidence(question)).retrieval.hits.map((h) => h.article.id)),
  ourWay("ours: retrieve alone (no reading, no answer)", async (question) => (await service.retrieve(question, { limit: 12 })).hits.map((h) => h.article.id)),
  ourWay("ours: passage BM25 alone (10 passages)", async (question) =>
    index.searchLexical(analyseQuery(question, index.vocabulary).termQueries, undefined, 10).map((h) => index.articleIdOf(h.id)),
  ),
];

const work = await fs.mkdtemp(path.join(os.tmpdir(), "bench-fts5-"));
let python: Fts5Process | undefined;
try {
  await writeJsonl(path.join(work, "passages.jsonl"), passagesOf(index));
  await writeJsonl(path.join(work, "questions.jsonl"), sample.map((item) => ({ question: item.question })));
  python = startFts5(work);
  const { build } = await python.next<{ build: Fts5Build }>();

  // Warm-up: a serving index has its hot pages and caches filled.
  await python.next("run");
  for (const way of ourWays) for (const item of sample.slice(0, 50)) await timed(way, false, item);

  for (let round = 0; round < rounds; round++) {
    const passes = [() => fts5Pass(python!, round), ...ourWays.map((way) => () => ourPass(way))];
    for (const pass of round % 2 === 0 ? passes : passes.reverse()) await pass();
  }

  const rows = [fts5, ...ourWays].map((s) => ({ side: s.name, ...latency(s), ...quality(s, sample, index) }));
  const loadAverage = os.loadavg().map((x) => +x.toFixed(2));
  const ourBytes = await bytesUnder((await currentVersion(indexDir))!);
  printTable(rows, build, ourBytes, loadAverage);
  console.log(
    JSON.stringify({
      fts5: {
        articles: index.articles.length,
        passages: index.chunkCount,
        questions: sample.length,
        rounds,
        goldIndexed: judged,
        build: { seconds: build.seconds, megabytes: +(build.bytes / 2 ** 20).toFixed(1), sqlite: build.sqlite, emptyQueries: build.emptyQueries },
        ourIndexMegabytes: +(ourBytes / 2 ** 20).toFixed(1),
        rows,
        loadAverage,
      },
    }),
  );
} finally {
  python?.end();
  await fs.rm(work, { recursive: true, force: true });
}

/** One FTS5 pass over every question; its hits are kept from the first round (they never change). */
async function fts5Pass(python: Fts5Process, round: number): Promise<void> {
  const { timesMs, cpuMs, articleIds } = await python.next<Fts5Run>("run");
  fts5.wall.push(...timesMs);
  fts5.cpu.push(...cpuMs);
  if (round === 0) fts5.ranked = articleIds.map(distinct);
}

/** One of our ways over every question. */
async function ourPass(way: OurSide): Promise<void> {
  for (const item of sample) await timed(way, true, item);
}

/** Times one question (wall and CPU, ms) unless warming up; keeps its ranking from the first measured round. */
async function timed(s: OurSide, record: boolean, item: QaItem): Promise<void> {
  const t = performance.now();
  const c = process.cpuUsage();
  const ranked = await s.run(item.question);
  const used = process.cpuUsage(c);
  const wall = performance.now() - t;
  if (!record) return;
  s.wall.push(wall);
  s.cpu.push((used.user + used.system) / 1000);
  if (s.ranked.length < sample.length) s.ranked.push(distinct(ranked));
}

// Declarations, not consts: the top-level awaits above call them before this line is reached.
function distinct(ids: string[]): string[] {
  return [...new Set(ids)];
}

function ms(x: number): number {
  return +x.toFixed(2);
}

function latency({ wall, cpu }: Side) {
  return {
    timings: wall.length,
    p50Ms: ms(percentile(wall, 0.5)),
    p95Ms: ms(percentile(wall, 0.95)),
    p99Ms: ms(percentile(wall, 0.99)),
    cpuMs: { p50: ms(percentile(cpu, 0.5)), p95: ms(percentile(cpu, 0.95)), p99: ms(percentile(cpu, 0.99)) },
    // Each round on its own (wall): how much the machine moved between blocks.
    p95MsByRound: Array.from({ length: wall.length / sample.length }, (_, r) => ms(percentile(wall.slice(r * sample.length, (r + 1) * sample.length), 0.95))),
  };
}

/** Recall@1 and @5 of the gold article over the questions whose gold article is in the index (null: none is). */
function quality({ ranked }: Side, items: QaItem[], corpus: CorpusIndex) {
  if (ranked.length === 0) return { recallAt1: null, recallAt5: null };
  let counted = 0;
  let r1 = 0;
  let r5 = 0;
  items.forEach((item, k) => {
    const gold = item.gold_article_id;
    if (!gold || !corpus.article(gold)) return;
    counted++;
    const rank = ranked[k]!.indexOf(gold) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 5) r5++;
  });
  return counted === 0 ? { recallAt1: null, recallAt5: null } : { recallAt1: +(r1 / counted).toFixed(3), recallAt5: +(r5 / counted).toFixed(3) };
}

/** What our lexical search ranks: each live passage's text and its article's title, with the article id. */
function* passagesOf(corpus: CorpusIndex): Iterable<{ article: string; title: string; text: string }> {
  for (let position = 0; position < corpus.chunkCount; position++) {
    const chunk = corpus.chunk(position);
    const article = corpus.article(chunk.articleId)!;
    yield { article: article.id, title: article.title, text: chunkText(article, chunk) };
  }
}

async function writeJsonl(file: string, records: Iterable<unknown>): Promise<void> {
  const out = createWriteStream(file);
  for (const record of records) if (!out.write(JSON.stringify(record) + "\n")) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

interface Fts5Build {
  passages: number;
  seconds: number;
  bytes: number;
  sqlite: string;
  emptyQueries: number;
}
interface Fts5Run {
  timesMs: number[];
  cpuMs: number[];
  articleIds: string[][];
}
interface Fts5Process {
  /** Sends a command (if any) and resolves with the next JSON line the script prints. */
  next<T>(command?: string): Promise<T>;
  end(): void;
}

/** Starts bench/fts5.py over the files in `folder` (its database goes there too). */
function startFts5(folder: string): Fts5Process {
  const child = spawn(
    "python3",
    [
      path.join(import.meta.dirname, "fts5.py"),
      "--passages",
      path.join(folder, "passages.jsonl"),
      "--questions",
      path.join(folder, "questions.jsonl"),
      "--db",
      path.join(folder, "fts5.sqlite"),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const failed = new Promise<never>((_, reject) => {
    child.on("error", (error) => reject(new Error(`could not start python3 (${error.message}): this benchmark needs Python 3 with sqlite3 and FTS5`)));
    child.on("exit", (code) => reject(new Error(`bench/fts5.py exited with code ${code} before answering (its error is above)`)));
  });
  failed.catch(() => {});
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next<T>(command?: string): Promise<T> {
      if (command) child.stdin.write(command + "\n");
      const line = await Promise.race([lines.next(), failed]);
      if (line.done) throw new Error("bench/fts5.py ended its output before answering (its error is above)");
      const message = JSON.parse(String(line.value)) as { error?: string };
      if (message.error) throw new Error(`bench/fts5.py: ${message.error}`);
      return message as T;
    },
    end: () => child.stdin.end(),
  };
}

/** Bytes of the files under a folder: the version of our index in service (its segments, vocabulary, manifest). */
async function bytesUnder(folder: string): Promise<number> {
  let bytes = 0;
  for (const entry of await fs.readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}

function printTable(
  rows: Array<ReturnType<typeof latency> & ReturnType<typeof quality> & { side: string }>,
  build: Fts5Build,
  ourBytes: number,
  loadAverage: number[],
): void {
  const n = (x: number | null) => (x === null ? "–" : x.toFixed(3));
  console.log(
    `${index.articles.length} articles, ${index.chunkCount} passages, ${sample.length} questions (${values.sets}) × ${rounds} rounds; ` +
      `FTS5 (SQLite ${build.sqlite}) built in ${build.seconds.toFixed(1)} s, ${(build.bytes / 2 ** 20).toFixed(1)} MiB (ours: ${(ourBytes / 2 ** 20).toFixed(1)} MiB); ` +
      `load average ${loadAverage.join(" ")}`,
  );
  console.log("| | wall p50 / p95 / p99 ms | CPU p50 / p95 / p99 ms | R@1 | R@5 |\n|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.side} | ${r.p50Ms} / ${r.p95Ms} / ${r.p99Ms} | ${r.cpuMs.p50} / ${r.cpuMs.p95} / ${r.cpuMs.p99} | ${n(r.recallAt1)} | ${n(r.recallAt5)} |`);
  }
  console.log(
    `FTS5 times the search alone, in Python; ask is the whole answer. Recall: over the ${judged} of ${sample.length} questions whose gold article is indexed` +
      (judged === 0 ? " (none: index the QA set's articles too to measure it)." : "."),
  );
}
