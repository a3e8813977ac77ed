/**
 * Is there lexical signal left for a learned re-ranker? For each question, the first `--top`
 * articles retrieved are described by a few lexical features; a linear model over them is fitted
 * (listwise softmax: the gold article against the others) on some folds of the questions and
 * scored on the rest (split by gold article, so no article is seen on both sides).
 *   npx tsx eval/rerank.ts --index DIR --qa FILE [--top 20] [--folds 2] [--features fused,sentence,…]
 * Prints recall@1 and MRR@10 of the retriever's own order and of the cross-validated model, for
 * each feature set asked (`;`-separated), by default all features with and without `length`.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import type { Article } from "../src/domain/types";
import { readQaFile } from "../src/eval/run";
import { silentLogger } from "../src/logger";
import { isQuestionWord } from "../src/retrieve";
import type { CorpusIndex } from "../src/store";
import { PAIR_JOINER, tokenize } from "../src/text/vietnamese";
import { dot, fitSoftmax } from "./linear-fit";

const FEATURES = ["fused", "coverage", "sentence", "twoSentences", "pairs", "sentencePairs", "run", "length"] as const;
type Feature = (typeof FEATURES)[number];

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string" },
    top: { type: "string", default: "20" },
    folds: { type: "string", default: "2" },
    features: { type: "string", default: `${FEATURES.join(",")};${FEATURES.filter((f) => f !== "length").join(",")}` },
  },
});
if (!values.index || !values.qa) throw new Error("usage: npx tsx eval/rerank.ts --index DIR --qa FILE [--top 20] [--folds 2] [--features a,b;c]");
const top = Number(values.top);
const folds = Number(values.folds);

const service = await QaService.open({ config: { ...loadConfig(process.env), indexDir: values.index }, logger: silentLogger, embedder: null, denseOffReason: "re-ranking probe" });
const index = service.index;

interface Question {
  fold: number;
  /** One row of features per candidate article, in retrieval order. */
  rows: number[][];
  /** Position of the gold article among the candidates, -1 when absent. */
  gold: number;
}

const questions: Question[] = [];
const sentenceCache = new Map<string, string[][]>();
for (const item of await readQaFile(values.qa)) {
  const retrieval = await service.retrieve(item.question, { limit: 3 * top });
  const { syllables, pairs } = retrieval.query;
  const topical = new Map(syllables.filter((s) => !isQuestionWord(s, index.vocabulary)).map((s) => [s, index.vocabulary.idf(s)]));
  const articles = new Map<string, { article: Article; fused: number }>();
  for (const hit of retrieval.hits) if (!articles.has(hit.article.id)) articles.set(hit.article.id, { article: hit.article, fused: hit.score });
  const candidates = [...articles.values()].slice(0, top);
  questions.push({
    fold: Number.parseInt(createHash("md5").update(String(item.gold_article_id)).digest("hex").slice(0, 8), 16) % folds,
    rows: candidates.map(({ article, fused }) => describe(article, fused, syllables, pairs, topical)),
    gold: candidates.findIndex((c) => c.article.id === item.gold_article_id),
  });
}

const baseline = evaluate(questions, (row) => row[0]!);
console.log(`retriever's order: R@1 ${baseline.r1.toFixed(4)} MRR@10 ${baseline.mrr.toFixed(4)} (${questions.length} questions, top ${top})`);
// Length is the trap: a dev set whose gold articles are shorter than its distractors rewards a prior for short articles.
const syllablesOf = (rows: number[][]) => median(rows.map((row) => Math.round(Math.exp(row[FEATURES.indexOf("length")]!) - 1)));
console.log(
  `median length in syllables: gold articles ${syllablesOf(questions.flatMap((q) => (q.gold >= 0 ? [q.rows[q.gold]!] : [])))}, ` +
    `other candidates ${syllablesOf(questions.flatMap((q) => q.rows.filter((_, c) => c !== q.gold)))}`,
);
for (const set of values.features.split(";")) {
  const chosen = set.split(",").map((f) => FEATURES.indexOf(f as Feature));
  if (chosen.includes(-1)) throw new Error(`unknown feature in ${set}; known: ${FEATURES.join(", ")}`);
  const project = (q: Question): Question => ({ ...q, rows: q.rows.map((row) => chosen.map((i) => row[i]!)) });
  let r1 = 0;
  let mrr = 0;
  for (let fold = 0; fold < folds; fold++) {
    const train = questions.filter((q) => q.fold !== fold).map(project);
    const test = questions.filter((q) => q.fold === fold).map(project);
    const weights = fitSoftmax(train.map((q) => ({ rows: q.rows, gold: q.rows.map((_, c) => c === q.gold) })), 500);
    const m = evaluate(test, (row) => dot(weights, row));
    r1 += m.r1 * test.length;
    mrr += m.mrr * test.length;
  }
  console.log(`cross-validated [${set}]: R@1 ${(r1 / questions.length).toFixed(4)} MRR@10 ${(mrr / questions.length).toFixed(4)}`);
}

/** The features of one candidate article, in the order of FEATURES. */
function describe(article: Article, fused: number, syllables: string[], pairs: string[], topical: Map<string, number>): number[] {
  const total = [...topical.values()].reduce((a, b) => a + b, 0) || 1;
  const pairWeight = (pair: string) => pair.split(PAIR_JOINER).reduce((sum, s) => sum + (topical.get(s) ?? 0), 0);
  const pairTotal = pairs.reduce((sum, p) => sum + pairWeight(p), 0) || 1;
  const share = (present: Set<string>) => [...topical].reduce((sum, [s, w]) => sum + (present.has(s) ? w : 0), 0) / total;
  const pairShare = (present: Set<string>) => pairs.reduce((sum, p) => sum + (present.has(p) ? pairWeight(p) : 0), 0) / pairTotal;
  const pairsOf = (terms: string[]) => new Set(terms.slice(1).map((t, i) => `${terms[i]}${PAIR_JOINER}${t}`));

  const sentences = sentencesOf(index, article);
  let sentence = 0;
  let twoSentences = 0;
  let sentencePairs = 0;
  let run = 0;
  sentences.forEach((terms, i) => {
    sentence = Math.max(sentence, share(new Set(terms)));
    if (i > 0) twoSentences = Math.max(twoSentences, share(new Set([...sentences[i - 1]!, ...terms])));
    sentencePairs = Math.max(sentencePairs, pairShare(pairsOf(terms)));
    run = Math.max(run, longestRun(terms, syllables, topical));
  });
  const all = sentences.flat();
  const allPairs = new Set(sentences.flatMap((terms) => [...pairsOf(terms)]));
  return [fused, share(new Set(all)), sentence, twoSentences, pairShare(allPairs), sentencePairs, run / total, Math.log(1 + all.length)];
}

/** The syllables of the title and of each sentence of the article. */
function sentencesOf(index: CorpusIndex, article: Article): string[][] {
  let sentences = sentenceCache.get(article.id);
  if (!sentences) {
    const terms = (text: string) => tokenize(text).map((t) => t.term);
    sentences = [terms(article.title), ...index.sentencesOf(article.id).map((s) => terms(article.body.slice(s.start, s.end)))];
    sentenceCache.set(article.id, sentences);
  }
  return sentences;
}

/** The idf mass of the longest run of the question's syllables that the sentence repeats in order. */
function longestRun(terms: string[], syllables: string[], topical: Map<string, number>): number {
  let best = 0;
  for (let i = 0; i < terms.length; i++) {
    for (let j = 0; j < syllables.length; j++) {
      let mass = 0;
      for (let k = 0; i + k < terms.length && j + k < syllables.length && terms[i + k] === syllables[j + k]; k++) mass += topical.get(syllables[j + k]!) ?? 0;
      best = Math.max(best, mass);
    }
  }
  return best;
}

function evaluate(qs: Question[], score: (row: number[]) => number): { r1: number; mrr: number } {
  let r1 = 0;
  let mrr = 0;
  for (const q of qs) {
    if (q.gold < 0) continue;
    const mine = score(q.rows[q.gold]!);
    // Ties keep retrieval order: only candidates before the gold one win a tie.
    const rank = 1 + q.rows.filter((row, c) => score(row) > mine || (score(row) === mine && c < q.gold)).length;
    if (rank === 1) r1++;
    if (rank <= 10) mrr += 1 / rank;
  }
  return { r1: r1 / qs.length, mrr: mrr / qs.length };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
