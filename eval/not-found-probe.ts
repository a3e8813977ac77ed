/**
 * Is there signal left for "not found" beyond the best window's support? Each question is asked
 * once; its best window and its retrieval are described by a dozen features (support and its
 * factors, the article-level coverage, how far the best article leads the next, the rarest question
 * word the window lacks, …). A logistic model over them is fitted, cross-validated, to tell the
 * answerable questions (`--answerable` sets) from the off-corpus ones (`--off` sets), and compared
 * with the product's own verdict at the same rate of answerable questions refused. With `--test`
 * sets (pairs of answerable and off-corpus files, read in their held-out halves), the model fitted
 * on all the training questions is scored there too, at the threshold chosen on the training ones.
 *
 *   npx tsx eval/not-found-probe.ts --index DIR --answerable FILE ... --off FILE ... \
 *     [--test-answerable FILE ...] [--test-off FILE ...] [--folds 5] [--features a,b;c]
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { inHalf, readQaFile, type QaItem } from "../src/eval/run";
import { silentLogger } from "../src/logger";
import { isQuestionWord } from "../src/retrieve";
import { fold } from "../src/text/vietnamese";
import { fitLogistic, probability } from "./linear-fit";

const FEATURES = ["support", "evidence", "constraints", "answer", "coverage", "lead", "windowLead", "missingRare", "topical", "supported", "english", "unaccented", "acted"] as const;
type Feature = (typeof FEATURES)[number];

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    answerable: { type: "string", multiple: true },
    off: { type: "string", multiple: true },
    "test-answerable": { type: "string", multiple: true },
    "test-off": { type: "string", multiple: true },
    folds: { type: "string", default: "5" },
    features: { type: "string", default: `support;${FEATURES.join(",")}` },
  },
});
if (!values.index || !values.answerable?.length || !values.off?.length) throw new Error("usage: npx tsx eval/not-found-probe.ts --index DIR --answerable FILE ... --off FILE ...");
const folds = Number(values.folds);
const service = await QaService.open({ config: { ...loadConfig(process.env), indexDir: values.index }, logger: silentLogger });
const { vocabulary } = service.index;
const log = (x: number) => Math.log(Math.max(x, 1e-3));

interface Case {
  row: number[];
  /** 1: answerable; 0: off-corpus. */
  label: number;
  /** The product's verdict. */
  refused: boolean;
}

async function describeSet(files: string[], label: number, half: "calibration" | "heldout"): Promise<Case[]> {
  const cases: Case[] = [];
  for (const file of files) {
    const items = (await readQaFile(file)).filter((item: QaItem) => (label === 1) === (item.gold_article_id !== null) && inHalf(item, half));
    for (const item of items) {
      const { answer, retrieval, reading } = await service.askWithEvidence(item.question);
      const [best, ...rest] = reading.windows;
      const topical = retrieval.query.syllables.filter((s) => !isQuestionWord(s, vocabulary));
      const idf = topical.map((s) => vocabulary.idf(s));
      const maxIdf = Math.max(1e-9, ...idf);
      const held = new Set(best ? [...best.parts.flatMap((p) => p.keys), ...best.article.title.toLowerCase().split(/\s+/)].map((k) => fold(k)) : []);
      const missingRare = Math.max(0, ...topical.map((s, i) => (held.has(fold(s)) ? 0 : idf[i]! / maxIdf)));
      const articleScores: number[] = [];
      for (const hit of retrieval.hits) if (articleScores.length < 2 && !articleScores.includes(hit.score)) articleScores.push(hit.score);
      const other = rest.find((w) => w.article !== best?.article);
      cases.push({
        label,
        refused: answer.notFound,
        row: [
          log(best?.support ?? 0),
          log(best?.evidence ?? 0),
          log(best?.constraints ?? 0),
          best?.answer || reading.type === null ? 1 : 0,
          retrieval.coverage,
          articleScores.length > 1 ? articleScores[1]! / articleScores[0]! : 0,
          best && other ? log(other.support) - log(best.support) : -3,
          missingRare,
          Math.log(1 + topical.length),
          Math.log(1 + reading.windows.filter((w) => w.support >= 0.45).length),
          retrieval.query.language === "en" ? 1 : 0,
          retrieval.query.restored ? 1 : 0,
          best?.acted ? 1 : 0,
        ],
      });
    }
  }
  return cases;
}

const train = [...(await describeSet(values.answerable, 1, "calibration")), ...(await describeSet(values.off, 0, "calibration"))];
const test = [...(await describeSet(values["test-answerable"] ?? [], 1, "heldout")), ...(await describeSet(values["test-off"] ?? [], 0, "heldout"))];
const rates = (cases: Case[], refuse: (c: Case) => boolean) => {
  const answerable = cases.filter((c) => c.label === 1);
  const off = cases.filter((c) => c.label === 0);
  return `answerable refused ${(answerable.filter(refuse).length / answerable.length).toFixed(3)}, off-corpus refused ${(off.filter(refuse).length / off.length).toFixed(3)}`;
};
console.log(`the product: train ${rates(train, (c) => c.refused)}${test.length ? `; test ${rates(test, (c) => c.refused)}` : ""}`);
const targetRefused = train.filter((c) => c.label === 1 && c.refused).length;

for (const set of values.features.split(";")) {
  const chosen = set.split(",").map((f) => FEATURES.indexOf(f as Feature));
  if (chosen.includes(-1)) throw new Error(`unknown feature in ${set}; known: ${FEATURES.join(", ")}`);
  const project = (c: Case): Case => ({ ...c, row: chosen.map((i) => c.row[i]!) });
  // Cross-validated probabilities, then the threshold that refuses as many answerable questions as the product does.
  const p = new Array<number>(train.length);
  for (let f = 0; f < folds; f++) {
    const w = fitLogistic(train.filter((_, i) => i % folds !== f).map(project));
    train.forEach((c, i) => {
      if (i % folds === f) p[i] = probability(w, project(c).row);
    });
  }
  const threshold = thresholdFor(train.map((c, i) => ({ c, p: p[i]! })));
  const line = [`train (cv) ${rates(train, (c) => p[train.indexOf(c)]! < threshold)}`];
  if (test.length) {
    const w = fitLogistic(train.map(project));
    const all = thresholdFor(train.map((c) => ({ c, p: probability(w, project(c).row) })));
    line.push(`test ${rates(test, (c) => probability(w, project(c).row) < all)}`);
    // The same model, its threshold matched on the test questions instead: which order separates better there.
    const matched = thresholdFor(test.map((c) => ({ c, p: probability(w, project(c).row) })), test.filter((c) => c.label === 1 && c.refused).length);
    line.push(`test, as many answerable refused as the product: ${rates(test, (c) => probability(w, project(c).row) < matched)}`);
  }
  console.log(`[${set}]: ${line.join("; ")}`);
}

/** The probability below which exactly as many answerable questions are refused as the product refuses. */
function thresholdFor(scored: Array<{ c: Case; p: number }>, refused = targetRefused): number {
  const answerable = scored.filter((s) => s.c.label === 1).map((s) => s.p).sort((a, b) => a - b);
  return refused === 0 ? answerable[0]! : (answerable[refused - 1]! + answerable[refused]!) / 2;
}
