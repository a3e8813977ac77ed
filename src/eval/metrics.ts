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
  /** The verbatim excerpts the answer shows. */
  quotes: string[];
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
  /** Share of answerable questions answered "not found" (a miss). */
  notFoundRate: number;
  /** Share of off-corpus questions answered "not found" (a success); null without any. */
  offCorpusNotFoundRate: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const normalise = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();

/**
 * Article-level retrieval metrics (recall@k, MRR@10) count the gold article's rank in retrieval,
 * whatever the not-found verdict; containment and not-found judge the answer as shown.
 */
export function computeMetrics(cases: EvalCase[]): EvalMetrics {
  const answerable = cases.filter((c) => c.goldArticleId !== null);
  const offCorpus = cases.filter((c) => c.goldArticleId === null);
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  let contained = 0;
  let notFound = 0;
  for (const c of answerable) {
    const rank = c.rankedArticleIds.indexOf(c.goldArticleId!) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 5) r5++;
    if (rank >= 1 && rank <= 10) mrr += 1 / rank;
    if (c.notFound) notFound++;
    const shown = normalise(c.quotes.join("\n"));
    if (!c.notFound && c.answers.some((a) => normalise(a) !== "" && shown.includes(normalise(a)))) contained++;
  }
  const n = answerable.length || 1;
  const latencies = cases.map((c) => c.latencyMs);
  return {
    questions: cases.length,
    answerable: answerable.length,
    recallAt1: r1 / n,
    recallAt5: r5 / n,
    mrrAt10: mrr / n,
    answerContainment: contained / n,
    notFoundRate: notFound / n,
    offCorpusNotFoundRate: offCorpus.length ? offCorpus.filter((c) => c.notFound).length / offCorpus.length : null,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
  };
}
