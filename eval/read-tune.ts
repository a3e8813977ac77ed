/**
 * Sweeps the reader's settings on a built index: every question is retrieved once, then read and
 * answered under each combination, and judged as `npm run eval` judges it.
 *
 *   npx tsx eval/read-tune.ts --index DIR --qa FILE [--qa FILE ...] [--unaccented] [--split calibration|heldout]
 *     [--min-support 0.45] [--title-credit 0.5] [--pair-weight 0.3] [--missing-type 0.7] [--missing-type-support 0.7] [--support-pairs 0] [--unpaired-support 0.8]
 *     [--pair-factor 1] [--lead-factor 0.9]
 *     [--article-weight 2] [--articles 5] [--dense-weight 0.3] [--min-dense 0.92] [--min-closeness 0.81] [--with-retrieval]
 *
 * With a model loaded (EMBEDDING_MODEL) an English question's sentences are embedded once, as the
 * product embeds them, and every point reads them.
 *
 * Off-corpus files (gold_article_id null) report their "not found" rate; the others recall,
 * containment, first-quote containment, quoted characters and "not found" on answerable questions.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { composeAnswer, DEFAULT_ANSWER_OPTIONS } from "../src/answer";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { computeMetrics, type EvalCase } from "../src/eval/metrics";
import { caseOf, inHalf, readQaFile, stripDiacritics, type QaItem } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { DEFAULT_READER, read, sentenceCosines, type ReaderSettings, type SentenceCosines } from "../src/read";
import type { Retrieval } from "../src/retrieve";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", multiple: true },
    unaccented: { type: "boolean", default: false },
    /** Also report each point with the retriever's article-level "not found" applied on top. */
    "with-retrieval": { type: "boolean", default: false },
    /** Of a set split in two (eval/off-corpus-hard.qa.jsonl), read only this part: calibrate on one, check on the other. */
    split: { type: "string", default: "calibration" },
    "min-support": { type: "string" },
    "title-credit": { type: "string" },
    "pair-weight": { type: "string" },
    "missing-type": { type: "string" },
    "missing-type-support": { type: "string" },
    "dense-weight": { type: "string" },
    "min-dense": { type: "string" },
    "min-closeness": { type: "string" },
    "support-pairs": { type: "string" },
    "unpaired-support": { type: "string" },
    "names-only": { type: "string" },
    "pair-factor": { type: "string" },
    "lead-factor": { type: "string" },
    "article-weight": { type: "string" },
    articles: { type: "string" },
  },
});
const list = (name: string, fallback: number) => (values[name as keyof typeof values] as string | undefined)?.split(",").map(Number) ?? [fallback];
const grid: Array<Partial<ReaderSettings>> = [];
for (const minSupport of list("min-support", DEFAULT_READER.minSupport))
  for (const titleCredit of list("title-credit", DEFAULT_READER.titleCredit))
    for (const pairWeight of list("pair-weight", DEFAULT_READER.pairWeight))
      for (const missingTypeFactor of list("missing-type", DEFAULT_READER.missingTypeFactor))
       for (const missingTypeSupport of list("missing-type-support", DEFAULT_READER.missingTypeSupport))
       for (const supportPairWeight of list("support-pairs", DEFAULT_READER.supportPairWeight))
       for (const unpairedSupport of list("unpaired-support", DEFAULT_READER.unpairedSupport))
       for (const namesOnlySupport of list("names-only", DEFAULT_READER.namesOnlySupport))
        for (const pairFactor of list("pair-factor", DEFAULT_READER.pairFactor))
         for (const leadFactor of list("lead-factor", DEFAULT_READER.leadFactor))
          for (const articleWeight of list("article-weight", DEFAULT_READER.articleWeight))
            for (const articles of list("articles", DEFAULT_READER.articles))
             for (const denseWeight of list("dense-weight", DEFAULT_READER.denseWeight))
              for (const minDense of list("min-dense", DEFAULT_READER.minDense))
              for (const minCloseness of list("min-closeness", DEFAULT_READER.minCloseness))
              grid.push({ denseWeight, minDense, minCloseness, minSupport, titleCredit, pairWeight, missingTypeFactor, missingTypeSupport, supportPairWeight, unpairedSupport, namesOnlySupport, pairFactor, leadFactor, articleWeight, articles });

const config = { ...loadConfig(process.env), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const index = service.index;
const sets: Array<{ name: string; items: QaItem[]; retrievals: Retrieval[]; cosines: Array<SentenceCosines | null> }> = [];
for (const file of values.qa ?? []) {
  const items = (await readQaFile(file)).filter((item) => inHalf(item, values.split));
  const retrievals: Retrieval[] = [];
  const cosines: Array<SentenceCosines | null> = [];
  for (const item of items) {
    const retrieval = await service.retrieve(values.unaccented ? stripDiacritics(item.question) : item.question, { limit: 12 });
    retrievals.push(retrieval);
    // An English question is read by its sentences' similarity, as `QaService.askWithEvidence` reads it.
    const { queryVector } = retrieval;
    cosines.push(retrieval.query.language === "en" && queryVector && service.embedder ? await sentenceCosines({ hits: retrieval.hits, queryVector }, index, service.embedder) : null);
  }
  sets.push({ name: path.basename(file, ".qa.jsonl"), items, retrievals, cosines });
}

const f = (x: number | null) => (x === null ? "–" : x.toFixed(3));
for (const [point, withRetrieval] of grid.flatMap((p) => (values["with-retrieval"] ? [[p, false], [p, true]] : [[p, false]]) as Array<[Partial<ReaderSettings>, boolean]>)) {
  const settings: ReaderSettings = { ...DEFAULT_READER, ...point };
  const row: string[] = [Object.entries(point).map(([k, v]) => `${k}=${v}`).join(" ") + (withRetrieval ? " +retrieval" : "")];
  for (const { name, items, retrievals, cosines } of sets) {
    const cases: EvalCase[] = items.map((item, i) => {
      const retrieval = retrievals[i]!;
      const own = read({ ...retrieval, cosines: cosines[i] }, index, settings);
      // "+retrieval": the retriever's article-level verdict must agree as well.
      const reading = withRetrieval ? { ...own, answerable: own.answerable && !retrieval.notFound } : own;
      const answer = composeAnswer(item.question, retrieval, reading, DEFAULT_ANSWER_OPTIONS);
      return caseOf(item, { answer, retrieval, reading }, 0);
    });
    const m = computeMetrics(cases);
    row.push(
      m.answerable > 0
        ? `${name}: first ${f(m.firstQuoteContainment)} contain ${f(m.answerContainment)} span ${f(m.answerSpanHit)} chars ${m.meanQuoteChars.toFixed(0)} nf ${f(m.notFoundRate)}`
        : `${name}: nf ${f(m.offCorpusNotFoundRate)}`,
    );
  }
  console.log(row.join(" | "));
}
