/**
 * Parameter sweep on a built index, in one process (the index is reloaded per setting: about a
 * second, against tens of seconds of questions):
 *   npx tsx eval/tune.ts --index DIR --qa FILE [--limit N] [--unaccented | --mixed] [--article 0,0.5] [--lexical 0.5,0.7] [--rank 0,10,60] [--min-dense 0.8,0.85] [--coverage 0.6] [--missing=0,0.0002] [--sentence 0,0.75] [--coordination 0,0.5] [--follow-ups [--shuffle SEED] --follow-up-boost 0,0.1]
 * Prints one line per setting: recall@1, MRR@10, containment, not-found rate, p95.
 * With a model loaded (DENSE_RETRIEVAL, EMBEDDING_MODEL) and an index built with it, --lexical and
 * --min-dense sweep the dense side. Used to choose DEFAULT_FUSION.article, the sentence weight,
 * coordination, the follow-up boost and the not-found thresholds (see eval/README.md).
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { DEFAULT_COORDINATION, DEFAULT_FOLLOW_UP_BOOST, DEFAULT_FUSION, DEFAULT_MAX_MISSING_SHARE, DEFAULT_MIN_COVERAGE, DEFAULT_MIN_DENSE, DEFAULT_SENTENCE_WEIGHT } from "../src/retrieve";
import { loadEmbedderOrExplain } from "../src/embed";
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
    lexical: { type: "string", default: String(DEFAULT_FUSION.lexical) },
    /** Rank fusion's constant k (`FusionWeights.rank`); 0 for score fusion (the default). */
    rank: { type: "string", default: "0" },
    "min-dense": { type: "string", default: String(DEFAULT_MIN_DENSE) },
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
const grid = {
  article: list(values.article),
  lexical: list(values.lexical),
  rank: list(values.rank),
  minCoverage: list(values.coverage),
  maxMissingShare: list(values.missing),
  minDense: list(values["min-dense"]),
  sentenceWeight: list(values.sentence),
  coordination: list(values.coordination),
  followUpBoost: list(values["follow-up-boost"]),
};
// Dense retrieval as the product would have it (DENSE_RETRIEVAL, EMBEDDING_MODEL): off here, where
// no model can be downloaded; on where one can, for sweeping --lexical and --min-dense.
const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, silentLogger);
console.error(embedder ? `dense retrieval on (${embedder.modelId})` : `dense retrieval off: ${reason}`);
for (const setting of product(grid)) {
  const { article, lexical, rank, minCoverage, maxMissingShare, minDense, sentenceWeight, coordination, followUpBoost } = setting;
  const service = await QaService.open({
    config,
    logger: silentLogger,
    embedder,
    denseOffReason: reason,
    retriever: { fusion: { article, lexical, ...(rank > 0 && { rank }) }, minCoverage, maxMissingShare, minDense, sentenceWeight, coordination, followUpBoost },
  });
  const m = computeMetrics(
    await evaluate(service, items, { unaccented: values.unaccented, mixed: values.mixed, followUps: values["follow-ups"] }),
  );
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  console.log(
    `${Object.entries(setting).map(([k, v]) => `${k}=${v}`).join(" ")}  R@1 ${f(m.recallAt1)} R@5 ${f(m.recallAt5)} MRR ${f(m.mrrAt10)} ` +
      `contain ${f(m.answerContainment)} NF(ans) ${f(m.notFoundRate)} NF(off) ${f(m.offCorpusNotFoundRate)} p95 ${m.latencyP95Ms.toFixed(1)}ms`,
  );
}

/** Every combination of the values listed for each key. */
function product<T extends Record<string, number[]>>(lists: T): Array<{ [K in keyof T]: number }> {
  let out: Array<Record<string, number>> = [{}];
  for (const [key, values] of Object.entries(lists)) out = out.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v })));
  return out as Array<{ [K in keyof T]: number }>;
}
