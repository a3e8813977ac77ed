/**
 * Is there signal left in the reader's own factors for choosing the first quote? For each question,
 * the reader's best `--top` windows are described by the factors its score multiplies (in logs:
 * evidence, constraints, the article's share of the best retrieval score, …) and a few it does not
 * use (the window's length, its place in the article). A linear model over them — learned
 * exponents of the same product — is fitted (softmax over the windows, the windows holding a gold
 * answer against the others) on the training sets and scored on the test sets; with one set only,
 * cross-validated over its gold articles. Prints the share of answerable questions whose first
 * window holds a gold answer: the reader's order, then the model's, for each feature set.
 *
 *   npx tsx eval/window-rerank.ts --index DIR --train FILE [--train FILE ...] [--test FILE ...]
 *     [--top 30] [--folds 2] [--features a,b;c] [--weights]
 *
 * The calibration half of a split set is read; `--heldout` reads the other half of the test sets.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import type { ScoredChunk } from "../src/domain/types";
import { inHalf, readQaFile, type QaItem } from "../src/eval/run";
import { silentLogger } from "../src/logger";
import type { Window } from "../src/read";
import { nfc, tokenize } from "../src/text/vietnamese";
import { dot, fitSoftmax } from "./linear-fit";

const FEATURES = ["reader", "evidence", "constraints", "support", "rest", "answer", "two", "article", "first", "length", "place"] as const;
type Feature = (typeof FEATURES)[number];

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    train: { type: "string", multiple: true },
    test: { type: "string", multiple: true },
    top: { type: "string", default: "30" },
    folds: { type: "string", default: "2" },
    features: { type: "string", default: `reader;${FEATURES.filter((f) => f !== "reader").join(",")};${FEATURES.join(",")}` },
    heldout: { type: "boolean", default: false },
    weights: { type: "boolean", default: false },
  },
});
if (!values.index || !values.train?.length) throw new Error("usage: npx tsx eval/window-rerank.ts --index DIR --train FILE [--test FILE ...] [--top 30] [--folds 2] [--features a,b;c]");
const top = Number(values.top);
const folds = Number(values.folds);

const service = await QaService.open({ config: { ...loadConfig(process.env), indexDir: values.index }, logger: silentLogger });

interface Question {
  fold: number;
  /** One row of features per window, in the reader's order. */
  rows: number[][];
  /** Whether each window holds a gold answer. */
  gold: boolean[];
}

const norm = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();
const log = (x: number) => Math.log(Math.max(x, 1e-3));

async function describeSet(file: string, half: "calibration" | "heldout"): Promise<Question[]> {
  const items = (await readQaFile(file)).filter((item: QaItem) => item.gold_article_id !== null && inHalf(item, half));
  const questions: Question[] = [];
  for (const item of items) {
    const { retrieval, reading } = await service.askWithEvidence(item.question);
    const golds = (item.answers?.length ? item.answers : [item.answer ?? ""]).map(norm).filter(Boolean);
    const windows = reading.windows.slice(0, top);
    const best = bestScores(retrieval.hits);
    const topScore = Math.max(0, ...best.values());
    questions.push({
      fold: Number.parseInt(createHash("md5").update(String(item.gold_article_id)).digest("hex").slice(0, 8), 16) % folds,
      rows: windows.map((w) => describe(w, (best.get(w.article.id) ?? 0) / (topScore || 1))),
      gold: windows.map((w) => golds.some((g) => norm(w.article.body.slice(w.start, w.end)).includes(g))),
    });
  }
  return questions;
}

/** Each article's best retrieval score. */
function bestScores(hits: ScoredChunk[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const hit of hits) if (!best.has(hit.article.id)) best.set(hit.article.id, hit.score);
  return best;
}

/** The features of one window, in the order of FEATURES. */
function describe(w: Window, articleShare: number): number[] {
  const rest = w.score / Math.max(1e-9, w.evidence * w.constraints * articleShare ** 2);
  const syllables = tokenize(w.article.body.slice(w.start, w.end)).length;
  return [
    log(w.score),
    log(w.evidence),
    log(w.constraints),
    log(w.support),
    log(rest),
    w.answer ? 1 : 0,
    w.parts.length > 1 ? 1 : 0,
    log(articleShare),
    w.articleRank === 0 ? 1 : 0,
    Math.log(1 + syllables),
    Math.log(1 + w.start / 1000),
  ];
}

const described = new Map<string, Question[]>();
for (const file of [...values.train, ...(values.test ?? [])]) {
  const half = values.heldout && values.test?.includes(file) ? "heldout" : "calibration";
  if (!described.has(file)) described.set(file, await describeSet(file, half));
}
const train = values.train.flatMap((f) => described.get(f)!);

for (const set of values.features.split(";")) {
  const chosen = set.split(",").map((f) => FEATURES.indexOf(f as Feature));
  if (chosen.includes(-1)) throw new Error(`unknown feature in ${set}; known: ${FEATURES.join(", ")}`);
  const project = (q: Question): Question => ({ ...q, rows: q.rows.map((row) => chosen.map((i) => row[i]!)) });
  const line: string[] = [];
  if (set === "reader") {
    for (const [file, qs] of described) line.push(`${path.basename(file)} ${firstHolds(qs, (row) => row[0]!).toFixed(3)}`);
    console.log(`reader's order: ${line.join(", ")}`);
    continue;
  }
  // Cross-validated on the training sets.
  let hits = 0;
  for (let fold = 0; fold < folds; fold++) {
    const w = fitSoftmax(train.filter((q) => q.fold !== fold).map(project));
    const test = train.filter((q) => q.fold === fold).map(project);
    hits += firstHolds(test, (row) => dot(w, row)) * test.length;
  }
  line.push(`train (cv) ${(hits / train.length).toFixed(3)}`);
  const w = fitSoftmax(train.map(project));
  for (const file of values.test ?? []) line.push(`${path.basename(file)} ${firstHolds(described.get(file)!.map(project), (row) => dot(w, row)).toFixed(3)}`);
  console.log(`[${set}]: ${line.join(", ")}`);
  if (values.weights) console.log(`  weights: ${chosen.map((i, k) => `${FEATURES[i]} ${w[k]!.toFixed(3)}`).join(", ")}`);
}

/** Share of the questions whose best-scored window holds a gold answer (ties: the reader's order). */
function firstHolds(qs: Question[], score: (row: number[]) => number): number {
  let hits = 0;
  for (const q of qs) {
    if (q.rows.length === 0) continue;
    let best = 0;
    for (let c = 1; c < q.rows.length; c++) if (score(q.rows[c]!) > score(q.rows[best]!)) best = c;
    if (q.gold[best]) hits++;
  }
  return hits / qs.length;
}
