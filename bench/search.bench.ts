/**
 * `npx tsx bench/search.bench.ts --index DIR [--questions 600] [--sets vinewsqa-dev] [--rounds 2]`:
 * the passage search and the article search alone (`LexicalIndex.search`, as the retriever calls
 * them: top 200 passages, top 50 articles) on a built index's first segment (the whole index after
 * a build or a merge), over real questions, and the postings each passage search walked.
 *
 * For comparing two versions of the search code: run it from two worktrees one after the other,
 * twice, on the same index; the machine's load moves every figure. The first round warms up (JIT,
 * the postings cache) and is not counted.
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { percentile } from "../src/app";
import { analyseQuery } from "../src/retrieve";
import { loadIndex } from "../src/store";
import { ARTICLE_BM25 } from "../src/store/lexical";
import { requireSharedData, sampleQaItems } from "./shared-data";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    questions: { type: "string", default: "600" },
    sets: { type: "string", default: "vinewsqa-dev" },
    rounds: { type: "string", default: "2" },
  },
});
if (!values.index) {
  process.stderr.write("usage: npx tsx bench/search.bench.ts --index DIR [--questions 600] [--sets vinewsqa-dev] [--rounds 2]\n");
  process.exit(2);
}
requireSharedData();
const index = await loadIndex(values.index, { model: null });
const base = index.segments[0]!;
const queries = (await sampleQaItems(values.sets, Number(values.questions))).map((item) => analyseQuery(item.question, index.vocabulary).termQueries);

const passages: number[] = [];
const articles: number[] = [];
const walked: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const query of queries) {
    let start = performance.now();
    base.lexical.search(query, undefined, 200);
    const passageMs = performance.now() - start;
    const last = base.lexical.lastSearch;
    start = performance.now();
    base.articleLexical.search(query, undefined, 50, ARTICLE_BM25);
    const articleMs = performance.now() - start;
    if (round === 0) continue;
    passages.push(passageMs);
    articles.push(articleMs);
    walked.push(last.walked);
  }
}
const summary = (xs: number[]) => ({
  mean: +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(2),
  p50: +percentile(xs, 0.5).toFixed(2),
  p95: +percentile(xs, 0.95).toFixed(2),
});
process.stdout.write(
  `${JSON.stringify({ search: { passages: index.chunkCount, questions: queries.length, passageMs: summary(passages), articleMs: summary(articles), postingsWalked: summary(walked) } })}\n`,
);
