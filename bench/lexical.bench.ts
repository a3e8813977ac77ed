/**
 * `npx tsx bench/lexical.bench.ts --index DIR [--questions 1000] [--sets vinewsqa-dev]`: the lexical
 * search alone, pruned (`LexicalIndex.search`) against exhaustive (`searchExhaustive`), on a built
 * index and real questions, as the retriever calls it (passages: top 200; articles: top 50).
 *
 * The two run alternately, question by question, so a shared, noisy machine slows both alike; each
 * call's CPU time (process.cpuUsage) is reported beside its wall time, being less sensitive to other
 * processes. Every pair of results is compared (ids, order, scores): a difference fails the run.
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { percentile } from "../src/app";
import { analyseQuery } from "../src/retrieve";
import { loadIndex } from "../src/store";
import { ARTICLE_BM25, type LexicalHit, type LexicalIndex, type TermQuery } from "../src/store/lexical";
import { requireSharedData, sampleQaItems } from "./shared-data";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    questions: { type: "string", default: "1000" },
    sets: { type: "string", default: "vinewsqa-dev" },
  },
});
if (!values.index) {
  process.stderr.write("usage: npx tsx bench/lexical.bench.ts --index DIR [--questions 1000] [--sets vinewsqa-dev]\n");
  process.exit(2);
}
requireSharedData();
const index = await loadIndex(values.index, { model: null });
// The base segment's own indexes (the whole index right after a build or a merge).
const base = index.segments[0]!;
const questions = await sampleQaItems(values.sets, Number(values.questions));
const queries = questions.map((item) => analyseQuery(item.question, index.vocabulary).termQueries);

type Search = (lexical: LexicalIndex, q: TermQuery[]) => LexicalHit[];
const searches: Record<"exhaustive" | "pruned", Search> = {
  exhaustive: (lexical, q) =>
    lexical === base.lexical ? lexical.searchExhaustive(q, undefined, 200) : lexical.searchExhaustive(q, undefined, 50, ARTICLE_BM25),
  pruned: (lexical, q) => (lexical === base.lexical ? lexical.search(q, undefined, 200) : lexical.search(q, undefined, 50, ARTICLE_BM25)),
};

const times = { exhaustive: { wall: [] as number[], cpu: [] as number[] }, pruned: { wall: [] as number[], cpu: [] as number[] } };
let differences = 0;
for (let round = 0; round < 2; round++) {
  const measure = round === 1; // the first round warms up (JIT, folded-spelling groups)
  queries.forEach((q, k) => {
    // Alternate which goes first, so neither always runs on a cache the other warmed.
    const order = k % 2 === 0 ? (["exhaustive", "pruned"] as const) : (["pruned", "exhaustive"] as const);
    const results: Record<string, LexicalHit[][]> = {};
    for (const name of order) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      results[name] = [searches[name](base.lexical, q), searches[name](base.articleLexical, q)];
      const used = process.cpuUsage(cpu);
      if (measure) {
        times[name].wall.push(performance.now() - wall);
        times[name].cpu.push((used.user + used.system) / 1000);
      }
    }
    if (JSON.stringify(results.exhaustive) !== JSON.stringify(results.pruned)) differences++;
  });
}
const summary = (xs: number[]) => ({ p50: +percentile(xs, 0.5).toFixed(2), p95: +percentile(xs, 0.95).toFixed(2), p99: +percentile(xs, 0.99).toFixed(2) });
console.log(
  JSON.stringify({
    lexical: {
      passages: index.chunkCount,
      articles: index.articles.length,
      questions: queries.length,
      differences,
      exhaustiveMs: { wall: summary(times.exhaustive.wall), cpu: summary(times.exhaustive.cpu) },
      prunedMs: { wall: summary(times.pruned.wall), cpu: summary(times.pruned.cpu) },
    },
  }),
);
if (differences > 0) process.exit(1);
