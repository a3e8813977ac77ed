/**
 * Parameter sweep on a built index, in one process (the index is reloaded per setting: about a
 * second, against tens of seconds of questions):
 *   npx tsx eval/tune.ts --index DIR --qa FILE [--limit N] [--unaccented | --mixed] [--article 0,0.5] [--coverage 0.6] [--missing=0,0.0002] [--sentence 0,0.75] [--coordination 0,0.5]
 * Prints one line per setting: recall@1, MRR@10, containment, not-found rate, p95.
 * Used to choose DEFAULT_FUSION.article, the sentence weight, coordination and the not-found thresholds (see eval/README.md).
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { DEFAULT_COORDINATION, DEFAULT_FUSION, DEFAULT_MAX_MISSING_SHARE, DEFAULT_MIN_COVERAGE, DEFAULT_SENTENCE_WEIGHT } from "../src/retrieve";
import { computeMetrics } from "../src/eval/metrics";
import { evaluate, readQaFile } from "../src/eval/run";
import { silentLogger } from "../src/logger";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", multiple: true },
    limit: { type: "string", default: "100000" },
    unaccented: { type: "boolean", default: false },
    mixed: { type: "boolean", default: false },
    article: { type: "string", default: "0,0.3,0.5,0.7,1" },
    coverage: { type: "string", default: String(DEFAULT_MIN_COVERAGE) },
    missing: { type: "string", default: String(DEFAULT_MAX_MISSING_SHARE) },
    sentence: { type: "string", default: String(DEFAULT_SENTENCE_WEIGHT) },
    coordination: { type: "string", default: String(DEFAULT_COORDINATION) },
  },
});
const config = { ...loadConfig(process.env), indexDir: values.index! };
const items = (await Promise.all(values.qa!.map(readQaFile))).flat().slice(0, Number(values.limit));
const list = (csv: string) => csv.split(",").map(Number);
const settings = list(values.article).flatMap((article) =>
  list(values.coverage).flatMap((minCoverage) =>
    list(values.missing).flatMap((maxMissingShare) =>
      list(values.sentence).flatMap((sentenceWeight) =>
        list(values.coordination).map((coordination) => ({ article, minCoverage, maxMissingShare, sentenceWeight, coordination })),
      ),
    ),
  ),
);
for (const { article, minCoverage, maxMissingShare, sentenceWeight, coordination } of settings) {
  const service = await QaService.open({
    config,
    logger: silentLogger,
    embedder: null,
    denseOffReason: "tuning",
    retriever: { fusion: { ...DEFAULT_FUSION, article }, minCoverage, maxMissingShare, sentenceWeight, coordination },
  });
  const m = computeMetrics(await evaluate(service, items, { unaccented: values.unaccented, mixed: values.mixed }));
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  console.log(
    `article=${article} coverage=${minCoverage} missingShare=${maxMissingShare} sentence=${sentenceWeight} coordination=${coordination}  R@1 ${f(m.recallAt1)} R@5 ${f(m.recallAt5)} MRR ${f(m.mrrAt10)} ` +
      `contain ${f(m.answerContainment)} NF(ans) ${f(m.notFoundRate)} NF(off) ${f(m.offCorpusNotFoundRate)} p95 ${m.latencyP95Ms.toFixed(1)}ms`,
  );
}
