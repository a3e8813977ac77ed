/**
 * Parameter sweep on a built index, in one process (the index is reloaded per setting: about a
 * second, against tens of seconds of questions):
 *   npx tsx eval/tune.ts --index DIR --qa FILE [--limit N] [--unaccented | --mixed] [--article 0,0.5] [--coverage 0.6] [--missing=0,0.0002] [--sentence 0,0.75] [--coordination 0,0.5] [--follow-ups [--shuffle SEED] --follow-up-boost 0,0.1]
 * Prints one line per setting: recall@1, MRR@10, containment, not-found rate, p95.
 * Used to choose DEFAULT_FUSION.article, the sentence weight, coordination, the follow-up boost and the not-found thresholds (see eval/README.md).
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { DEFAULT_COORDINATION, DEFAULT_FOLLOW_UP_BOOST, DEFAULT_FUSION, DEFAULT_MAX_MISSING_SHARE, DEFAULT_MIN_COVERAGE, DEFAULT_SENTENCE_WEIGHT } from "../src/retrieve";
import { computeMetrics } from "../src/eval/metrics";
import { evaluate, readQaFile, shuffled } from "../src/eval/run";
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
    "follow-ups": { type: "boolean", default: false },
    shuffle: { type: "string" },
    "follow-up-boost": { type: "string", default: String(DEFAULT_FOLLOW_UP_BOOST) },
  },
});
const config = { ...loadConfig(process.env), indexDir: values.index! };
const read = (await Promise.all(values.qa!.map(readQaFile))).flat().slice(0, Number(values.limit));
const items = values.shuffle === undefined ? read : shuffled(read, Number(values.shuffle));
const list = (csv: string) => csv.split(",").map(Number);
const settings = list(values.article).flatMap((article) =>
  list(values.coverage).flatMap((minCoverage) =>
    list(values.missing).flatMap((maxMissingShare) =>
      list(values.sentence).flatMap((sentenceWeight) =>
        list(values.coordination).flatMap((coordination) =>
          list(values["follow-up-boost"]).map((followUpBoost) => ({ article, minCoverage, maxMissingShare, sentenceWeight, coordination, followUpBoost })),
        ),
      ),
    ),
  ),
);
for (const { article, minCoverage, maxMissingShare, sentenceWeight, coordination, followUpBoost } of settings) {
  const service = await QaService.open({
    config,
    logger: silentLogger,
    embedder: null,
    denseOffReason: "tuning",
    retriever: { fusion: { ...DEFAULT_FUSION, article }, minCoverage, maxMissingShare, sentenceWeight, coordination, followUpBoost },
  });
  const m = computeMetrics(
    await evaluate(service, items, { unaccented: values.unaccented, mixed: values.mixed, followUps: values["follow-ups"] }),
  );
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  console.log(
    `article=${article} coverage=${minCoverage} missingShare=${maxMissingShare} sentence=${sentenceWeight} coordination=${coordination} followUp=${followUpBoost}  R@1 ${f(m.recallAt1)} R@5 ${f(m.recallAt5)} MRR ${f(m.mrrAt10)} ` +
      `contain ${f(m.answerContainment)} NF(ans) ${f(m.notFoundRate)} NF(off) ${f(m.offCorpusNotFoundRate)} p95 ${m.latencyP95Ms.toFixed(1)}ms`,
  );
}
