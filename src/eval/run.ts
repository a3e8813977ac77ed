import fs from "node:fs/promises";
import { citedArticles } from "../answer";
import type { QaService } from "../app";
import type { Answer } from "../domain/types";
import type { Reading } from "../read";
import type { Retrieval } from "../retrieve";
import { fold, nfc } from "../text/vietnamese";
import type { EvalCase } from "./metrics";

/** A question of a QA file (the format of `../shared/data/qa/*.qa.jsonl`). */
export interface QaItem {
  id: string;
  question: string;
  answer?: string;
  answers?: string[];
  /** `null` marks an off-corpus question. */
  gold_article_id: string | null;
  /** For a set split in two: "calibration" (used to choose thresholds) or "heldout" (kept aside). */
  split?: string;
}

/**
 * Whether a question belongs to the given half of its set: a question of a set split in two only
 * to its own half, one of an unsplit set to either.
 */
export function inHalf(item: QaItem, half: string): boolean {
  return !["calibration", "heldout"].includes(item.split ?? "") || item.split === half;
}

export async function readQaFile(file: string): Promise<QaItem[]> {
  const text = await fs.readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as QaItem;
      } catch (error) {
        throw new Error(`${file}:${i + 1}: not JSON (${(error as Error).message})`);
      }
    });
}

/** Removes every diacritic but keeps case: what a reader typing without accents sends. */
export function stripDiacritics(text: string): string {
  return [...nfc(text)].map((ch) => (ch.toLowerCase() === ch ? fold(ch) : fold(ch).toUpperCase())).join("");
}

/** Every other word without diacritics, as typed in a hurry: "Bệnh nhan bị sot do nguyên nhan gì?". */
export function stripEveryOtherWord(text: string): string {
  let word = 0;
  return nfc(text).replace(/\p{L}+/gu, (w) => (word++ % 2 === 0 ? stripDiacritics(w) : w));
}

export interface EvaluateOptions {
  /** Ask every question without diacritics. */
  unaccented?: boolean;
  /** Ask every question with every other word without diacritics. */
  mixed?: boolean;
  /**
   * Ask the questions as one conversation: each may follow up the answer before it (the articles
   * it cited). In file order, an article's questions come one after another, as a reader asks them.
   */
  followUps?: boolean;
  /** Called after each question (progress). */
  onCase?: (done: number, total: number) => void;
}

/**
 * The items in an order drawn from `seed` (Fisher-Yates over a small deterministic generator): with
 * `followUps`, a shuffled set measures what a stale previous answer costs a question on another topic.
 */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: reproducible across runs and machines, which Math.random is not.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What one question of a QA set came back with, as the metrics judge it. */
export function caseOf(
  item: QaItem,
  { answer, retrieval, reading }: { answer: Answer; retrieval: Retrieval; reading: Reading },
  latencyMs: number,
): EvalCase {
  return {
    id: item.id,
    goldArticleId: item.gold_article_id,
    answers: item.answers?.length ? item.answers : item.answer ? [item.answer] : [],
    rankedArticleIds: [...new Set(retrieval.hits.map((h) => h.article.id))],
    quotes: answer.parts.map((p) => p.quote.text),
    answerSpans: answer.parts.flatMap((p) => (p.answerSpan ? [p.quote.text.slice(p.answerSpan.start - p.quote.start, p.answerSpan.end - p.quote.start)] : [])),
    questionType: reading.type,
    notFound: answer.notFound,
    latencyMs,
  };
}

/** Asks every question through the service exactly as a reader would and records the outcome. */
export async function evaluate(service: QaService, items: QaItem[], options: EvaluateOptions = {}): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  let previous: string[] = [];
  for (const item of items) {
    const question = options.unaccented ? stripDiacritics(item.question) : options.mixed ? stripEveryOtherWord(item.question) : item.question;
    const started = performance.now();
    const { answer, retrieval, reading } = await service.askWithEvidence(question, options.followUps ? { followUp: previous } : {});
    const latencyMs = performance.now() - started;
    previous = citedArticles(answer);
    cases.push(caseOf(item, { answer, retrieval, reading }, latencyMs));
    options.onCase?.(cases.length, items.length);
  }
  return cases;
}
