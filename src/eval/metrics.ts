import { percentile } from "../app/stats";
import { nfc } from "../text/vietnamese";

/** One question as asked during evaluation, with what came back. */
export interface EvalCase {
  id: string;
  /** `null` for an off-corpus question: the right outcome is "not found". */
  goldArticleId: string | null;
  answers: string[];
  /** Distinct article ids in retrieval order. */
  rankedArticleIds: string[];
  /** The verbatim excerpts the answer shows, in the order shown. */
  quotes: string[];
  /** The texts the answer marks as the answer (one per quote that has one), in the order shown. */
  answerSpans?: string[];
  /** What the question asks for ("number", "date", …), or null. */
  questionType?: string | null;
  notFound: boolean;
  latencyMs: number;
}

export interface EvalMetrics {
  questions: number;
  /** Answerable questions (those with a gold article). */
  answerable: number;
  recallAt1: number;
  recallAt5: number;
  mrrAt10: number;
  /** Share of answerable questions whose gold answer occurs inside the quoted excerpts. */
  answerContainment: number;
  /** Share of answerable questions whose gold answer occurs inside the first quote shown. */
  firstQuoteContainment: number;
  /** Characters of quoted text shown per answered question (mean). */
  meanQuoteChars: number;
  /**
   * Share of answerable questions whose first quote marks an answer that overlaps a gold answer
   * (one contains the other, or they share half their words), among those the reader typed
   * (a number, a date, a place, a person or a reason was asked for); null when none was typed.
   */
  answerSpanHit: number | null;
  /** Share of answerable questions answered "not found" (a miss). */
  notFoundRate: number;
  /** Share of off-corpus questions answered "not found" (a success); null without any. */
  offCorpusNotFoundRate: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** The same metrics for each kind of question ("number", "date", …, "other"), with their counts. */
  byType?: Record<string, TypeMetrics>;
}

export interface TypeMetrics {
  answerable: number;
  recallAt1: number;
  answerContainment: number;
  firstQuoteContainment: number;
  answerSpanHit: number | null;
  notFoundRate: number;
}

const normalise = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();

/**
 * Article-level retrieval metrics (recall@k, MRR@10) count the gold article's rank in retrieval,
 * whatever the not-found verdict; containment and not-found judge the answer as shown.
 */
export function computeMetrics(cases: EvalCase[]): EvalMetrics {
  const answerable = cases.filter((c) => c.goldArticleId !== null);
  const offCorpus = cases.filter((c) => c.goldArticleId === null);
  const answered = cases.filter((c) => !c.notFound);
  const latencies = cases.map((c) => c.latencyMs);
  const metrics: EvalMetrics = {
    questions: cases.length,
    answerable: answerable.length,
    ...answerMetrics(answerable),
    meanQuoteChars: answered.length ? answered.reduce((sum, c) => sum + c.quotes.join("").length, 0) / answered.length : 0,
    offCorpusNotFoundRate: offCorpus.length ? offCorpus.filter((c) => c.notFound).length / offCorpus.length : null,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
  };
  const types = new Map<string, EvalCase[]>();
  for (const c of answerable) {
    const type = c.questionType === undefined ? null : (c.questionType ?? "other");
    if (type === null) continue;
    types.set(type, [...(types.get(type) ?? []), c]);
  }
  if (types.size > 0) {
    metrics.byType = Object.fromEntries(
      [...types].map(([type, list]) => {
        const { recallAt1, answerContainment, firstQuoteContainment, answerSpanHit, notFoundRate } = answerMetrics(list);
        return [type, { answerable: list.length, recallAt1, answerContainment, firstQuoteContainment, answerSpanHit, notFoundRate }];
      }),
    );
  }
  return metrics;
}

/** The metrics over answerable questions. */
function answerMetrics(answerable: EvalCase[]) {
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  let contained = 0;
  let firstContained = 0;
  let notFound = 0;
  let typed = 0;
  let spanHits = 0;
  for (const c of answerable) {
    const rank = c.rankedArticleIds.indexOf(c.goldArticleId!) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 5) r5++;
    if (rank >= 1 && rank <= 10) mrr += 1 / rank;
    if (c.notFound) {
      notFound++;
      continue;
    }
    const golds = c.answers.map(normalise).filter((a) => a !== "");
    if (golds.some((a) => normalise(c.quotes.join("\n")).includes(a))) contained++;
    if (c.quotes.length > 0 && golds.some((a) => normalise(c.quotes[0]!).includes(a))) firstContained++;
    if (c.questionType) {
      typed++;
      const span = c.answerSpans?.[0];
      if (span && golds.some((a) => overlaps(normalise(span), a))) spanHits++;
    }
  }
  const n = answerable.length || 1;
  return {
    recallAt1: r1 / n,
    recallAt5: r5 / n,
    mrrAt10: mrr / n,
    answerContainment: contained / n,
    firstQuoteContainment: firstContained / n,
    answerSpanHit: typed > 0 ? spanHits / typed : null,
    notFoundRate: notFound / n,
  };
}

/** One text contains the other, or they share at least half of the shorter one's words. */
function overlaps(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  const wa = new Set(a.match(/[\p{L}\p{N}]+/gu) ?? []);
  const wb = new Set(b.match(/[\p{L}\p{N}]+/gu) ?? []);
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared > 0 && shared >= Math.min(wa.size, wb.size) / 2;
}
