import type { Answer, AnswerPart, Article, Citation, Quote, ScoredChunk, Span } from "../domain/types";
import { isQuestionWord, type Retrieval } from "../retrieve";
import type { Vocabulary } from "../store";
import { fold, PAIR_JOINER, syllablePairs, tokenize } from "../text/vietnamese";
import { strings } from "./strings";

export interface AnswerOptions {
  /** Sources quoted at most. */
  maxSources: number;
  /** Quotes per source at most (adjacent sentences merge into one quote). */
  maxQuotesPerSource: number;
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = { maxSources: 3, maxQuotesPerSource: 2 };

/** A further source is quoted only if its best passage scores at least this share of the best one. */
const SECONDARY_SOURCE_RATIO = 0.6;
/** A sentence that matches less than this share of the best sentence's weight is not worth quoting. */
const SECONDARY_SENTENCE_RATIO = 0.35;
/**
 * A quote shorter than this is extended by the next sentence of its paragraph: the sentence that
 * echoes the question is often followed by the one that answers it (+4 points of answer
 * containment on vinewsqa-dev, measured with eval/tune.ts).
 */
const MIN_QUOTE_CHARS = 200;
const MAX_SUGGESTIONS = 3;
interface ScoredSentence extends Span {
  weight: number;
}

/**
 * Turns retrieved passages into an answer made of verbatim sentences with numbered citations.
 * Pure: no I/O, no Telegram or terminal formatting.
 */
export function composeAnswer(
  question: string,
  retrieval: Retrieval,
  vocabulary: Vocabulary,
  options: AnswerOptions = DEFAULT_ANSWER_OPTIONS,
): Answer {
  const { query, hits } = retrieval;
  const t = strings(query.language);
  const base = { question, language: query.language, matchedTerms: [] as string[], suggestions: [] };

  if (retrieval.notFound) {
    const seen = new Set<string>();
    const suggestions = hits
      .filter((h) => !seen.has(h.article.id) && seen.add(h.article.id))
      .slice(0, MAX_SUGGESTIONS)
      .map((h) => ({ articleId: h.article.id, title: h.article.title, publishedAt: h.article.publishedAt }));
    return { ...base, notFound: true, text: t.notFound, parts: [], citations: [], suggestions };
  }

  const weigh = sentenceWeigher(query.syllables, query.pairs, vocabulary, query.restored);
  const byArticle = new Map<string, ScoredChunk[]>();
  for (const hit of hits) {
    const list = byArticle.get(hit.article.id);
    if (list) list.push(hit);
    else byArticle.set(hit.article.id, [hit]);
  }

  const topScore = hits[0]?.score ?? 0;
  const parts: AnswerPart[] = [];
  const citations: Citation[] = [];
  let bestWeight = 0;
  for (const [, articleHits] of byArticle) {
    if (citations.length >= options.maxSources) break;
    const article = articleHits[0]!.article;
    if (citations.length > 0 && articleHits[0]!.score < SECONDARY_SOURCE_RATIO * topScore) break;

    const sentences = uniqueSentences(articleHits).map((s) => ({ ...s, weight: weigh(article.body.slice(s.start, s.end)) }));
    const ranked = [...sentences].sort((a, b) => b.weight - a.weight || a.start - b.start);
    bestWeight = Math.max(bestWeight, ranked[0]?.weight ?? 0);
    const chosen = ranked
      .filter((s) => s.weight > 0 && s.weight >= SECONDARY_SENTENCE_RATIO * bestWeight)
      .slice(0, options.maxQuotesPerSource);
    if (chosen.length === 0) continue;

    const citation = cite(citations.length + 1, article, toQuotes(article, chosen, sentences));
    citations.push(citation);
    for (const quote of citation.quotes) parts.push({ quote, citation: citation.n, articleId: article.id });
  }

  if (parts.length === 0) {
    return { ...base, notFound: true, text: t.notFound, parts: [], citations: [], suggestions: [] };
  }
  const matchedTerms = [...new Set(hits.slice(0, citations.length * 3).flatMap((h) => h.matchedTerms))];
  const text = parts.map((p) => `“${p.quote.text}” [${p.citation}]`).join("\n\n");
  return { ...base, notFound: false, text, parts, citations, matchedTerms };
}

/** The articles an answer cited, in citation order: what a question following it up may mean (`RetrieveOptions.followUp`). */
export function citedArticles(answer: Answer): string[] {
  return answer.citations.map((c) => c.articleId);
}

/** Citation number `n` of an article, with the quotes shown for it. */
export function cite(n: number, article: Article, quotes: Quote[]): Citation {
  const { id: articleId, title, publishedAt, author, url, source } = article;
  return { n, articleId, title, publishedAt, author, url, source, quotes };
}

/** The sentences of an article's retrieved passages, each once, in article order. */
function uniqueSentences(hits: ScoredChunk[]): Span[] {
  const byStart = new Map<number, Span>();
  for (const hit of hits) for (const s of hit.chunk.sentences) byStart.set(s.start, s);
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/**
 * Chosen sentences become quotes in article order; sentences adjacent in one paragraph merge into
 * one quote, and a very short quote takes in the next sentence of its paragraph.
 */
function toQuotes(article: Article, chosen: ScoredSentence[], all: Span[]): Quote[] {
  const spans = [...chosen].sort((a, b) => a.start - b.start).map((s) => ({ start: s.start, end: s.end }));
  for (const span of spans) {
    if (span.end - span.start >= MIN_QUOTE_CHARS) continue;
    const next = all.find((s) => s.start > span.end);
    if (next && !article.body.slice(span.end, next.start).includes("\n")) span.end = next.end;
  }
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    const gap = last ? article.body.slice(last.end, span.start) : null;
    if (last && gap !== null && (span.start <= last.end || (/^\s*$/.test(gap) && !gap.includes("\n")))) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged.map((s) => ({ start: s.start, end: s.end, text: article.body.slice(s.start, s.end) }));
}

/**
 * How much of the question a sentence covers: idf-weighted syllables, plus pairs (a matched
 * pair is a matched phrase, much stronger evidence than two loose syllables).
 */
function sentenceWeigher(syllables: string[], pairs: string[], vocabulary: Vocabulary, restored: boolean) {
  const key = restored ? fold : (s: string) => s;
  // Question words ("ai", "bao nhiêu") occur in many sentences and say nothing about the answer.
  const weights = new Map(syllables.map((s) => [key(s), isQuestionWord(s, vocabulary) ? 0 : vocabulary.idf(s)]));
  const pairWeights = new Map(
    pairs.map((p) => {
      const [a, b] = p.split(PAIR_JOINER);
      return [key(p), 0.5 * (vocabulary.idf(a!) + vocabulary.idf(b!))];
    }),
  );
  return (sentence: string): number => {
    const tokens = tokenize(sentence);
    const seen = new Set(tokens.map((t) => key(t.term)));
    let weight = 0;
    for (const [s, w] of weights) if (seen.has(s)) weight += w;
    for (const pair of new Set(syllablePairs(sentence, tokens).map(key))) weight += pairWeights.get(pair) ?? 0;
    return weight;
  };
}
