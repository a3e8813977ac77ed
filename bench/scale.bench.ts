/**
 * `npm run bench:scale [-- --sizes 2653,26530 --questions 1000 --out DIR --compare]`: how the costs
 * grow with the archive. For each size N, a recombined N-article corpus (`scale-corpus.ts`) is
 * ingested, then loaded and asked 1,000 vinewsqa-dev questions, each step in its own process so that
 * its peak RSS is its own:
 *
 * | step | measured |
 * |---|---|
 * | `bench:ingest -- --corpus … --index …` | ingest wall time, peak RSS, index size |
 * | `bench:query -- --index … --ask-only` | index load time, RSS before/after load, ask p50/p95/p99, peak RSS |
 *
 * Corpora and indexes go to DIR (default `$TMPDIR/newsroom-scale`, outside the repository) and are
 * reused by the next run (`--rebuild` rebuilds the indexes). `--compare` times exhaustive and pruned
 * lexical search in the query step, alternately, question by question (`query.bench.ts`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { corpusPath, DEFAULT_SCALE_DIR, scaleCorpus } from "./scale-corpus";
import { requireSharedData } from "./shared-data";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2653,26530" },
    questions: { type: "string", default: "1000" },
    out: { type: "string", default: DEFAULT_SCALE_DIR },
    rebuild: { type: "boolean", default: false },
    compare: { type: "boolean", default: false },
  },
});

requireSharedData();
const env = { ...process.env, LOG_LEVEL: "warn" };
for (const n of values.sizes.split(",").map(Number)) {
  const corpus = await scaleCorpus(n, corpusPath(values.out, n));
  const index = path.join(values.out, `index-${n}`);
  if (values.rebuild || !(await fs.stat(path.join(index, "CURRENT")).catch(() => null))) {
    await fs.rm(index, { recursive: true, force: true });
    const ingest = run("ingest.bench.ts", ["--corpus", corpus, "--index", index]);
    console.log(JSON.stringify({ articles: n, ingest }));
  }
  const args = ["--index", index, "--sets", "vinewsqa-dev", "--questions", values.questions, "--ask-only"];
  const ask = run("query.bench.ts", values.compare ? [...args, "--compare"] : args);
  console.log(JSON.stringify({ articles: n, ...ask }));
}

/** Runs a bench script in a fresh process and returns its last JSON line. */
function run(script: string, args: string[]): Record<string, unknown> {
  const file = path.join(import.meta.dirname, script);
  const result = spawnSync(process.execPath, ["--import", "tsx", file, ...args], { env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  const lines = result.stdout.trim().split("\n");
  return JSON.parse(lines.slice(lines.findLastIndex((l) => l.startsWith("{"))).join("\n")) as Record<string, unknown>;
}
