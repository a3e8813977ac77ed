import type { Answer, AnswerPart, Article, Citation, Quote, Span } from "../domain/types";
import type { Reading, Window } from "../read";
import type { Retrieval } from "../retrieve";
import { jaccardAtLeast, shingles } from "../text/similarity";
import { fold } from "../text/vietnamese";
import { strings } from "./strings";

export interface AnswerOptions {
  /** Sources quoted at most. */
  maxSources: number;
  /** Quotes per source at most. */
  maxQuotesPerSource: number;
  /**
   * Characters of quotes that further quotes may take the reply to (the first quote is always
   * shown, whatever its length): `MAX_QUOTED_CHARS` when not given.
   */
  maxQuotedChars?: number;
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = { maxSources: 2, maxQuotesPerSource: 2 };

/**
 * A further quote of the same article is shown only when it scores at least this share of the
 * best window (and, for a question that asks for a number, a date, a place, a name or a reason,
 * holds another one): it must add an answer, not repeat the question's words.
 */
const FURTHER_QUOTE_RATIO = 0.85;
/** A second source is shown only when its best window answers nearly as well on its own. */
const FURTHER_SOURCE_RATIO = 0.9;
/**
 * A reply fits a phone screen: a further quote is shown only while the quotes stay within this
 * many characters. Measured on the dev sets (`eval/read-tune.ts`): at 800, vinewsqa-dev answers
 * keep their containment (0.694) and lose their longest tail (p99 1,026 characters before), xquad-vi
 * loses one answer shown in a further quote (0.808 → 0.807); at 600, containment 0.691 / 0.803.
 * The default of `AnswerOptions.maxQuotedChars`; the bot takes `ANSWER_MAX_QUOTED_CHARS`, the same.
 */
const MAX_QUOTED_CHARS = 800;
/** Two quotes sharing this share of their word trigrams say the same thing: the second is not shown. */
const NEAR_DUPLICATE = 0.5;
const MAX_SUGGESTIONS = 3;

/**
 * Turns the reader's windows into an answer: the best window first, further quotes only when they
 * add an answer, a second source only when it answers on its own, never the same thing twice.
 * "Not found" (with the nearest headlines) when the reader found no window that answers.
 * Pure: no I/O, no Telegram or terminal formatting.
 */
export function composeAnswer(
  question: string,
  retrieval: Retrieval,
  reading: Reading,
  options: AnswerOptions = DEFAULT_ANSWER_OPTIONS,
): Answer {
  const { query, hits } = retrieval;
  const t = strings(query.language);
  const base = { question, language: query.language, matchedTerms: [] as string[], suggestions: [] };

  if (!reading.answerable) {
    const seen = new Set<string>();
    const suggestions = hits
      .filter((h) => !seen.has(h.article.id) && seen.add(h.article.id))
      .slice(0, MAX_SUGGESTIONS)
      .map((h) => ({ articleId: h.article.id, title: h.article.title, publishedAt: h.article.publishedAt }));
    const { outdated } = reading;
    return { ...base, notFound: true, text: outdated ? t.outdated(outdated) : t.notFound, parts: [], citations: [], suggestions, ...(outdated && { outdated }) };
  }

  const chosen = chooseWindows(reading, options);
  const citations: Citation[] = [];
  const parts: AnswerPart[] = [];
  for (const window of chosen) {
    let citation = citations.find((c) => c.articleId === window.article.id);
    if (!citation) {
      citation = cite(citations.length + 1, window.article, []);
      citations.push(citation);
    }
    const quote = quoteOf(window.article, window);
    citation.quotes.push(quote);
    parts.push({
      quote,
      citation: citation.n,
      articleId: window.article.id,
      answerSpan: window.answer,
      matches: window.matches,
    });
  }
  const cited = new Set(citations.map((c) => c.articleId));
  const matchedTerms = [...new Set(hits.filter((h) => cited.has(h.article.id)).flatMap((h) => h.matchedTerms))];
  const text = parts.map((p) => `“${p.quote.text}” [${p.citation}]`).join("\n\n");
  const asOf = asksAboutNow(query.sequence) ? newestDate(citations) : undefined;
  return { ...base, notFound: false, text, parts, citations, matchedTerms, ...(asOf && { asOf }) };
}

/** Words that ask about the present: the answer is only as recent as the articles. */
const NOW = /(?:^| )(?:hom nay|hien nay|hien tai|bay gio|nam nay|thang nay|tuan nay|today|now|currently|nowadays|this year|at present)(?= |$)/;

function asksAboutNow(sequence: readonly string[]): boolean {
  return NOW.test(sequence.map(fold).join(" "));
}

/** The newest date (YYYY-MM-DD) among the cited articles, if any is dated. */
function newestDate(citations: Citation[]): string | undefined {
  const dates = citations.map((c) => c.publishedAt?.slice(0, 10)).filter((d): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d));
  return dates.sort().at(-1);
}

/** The windows to show, best first (see `composeAnswer`). */
function chooseWindows(reading: Reading, options: AnswerOptions): Window[] {
  const [best, ...rest] = reading.windows;
  if (!best) return [];
  const chosen = [best];
  const shown = [shingles(best.article.body.slice(best.start, best.end))];
  const shownWords = [wordsOf(best)];
  const sources = new Set([best.article.id]);
  const minSupport = best.support * 0.9;
  const names = (w: Window) => reading.noun !== null && w.answer !== null && w.article.body.slice(w.answer.start, w.answer.end).toLowerCase().includes(reading.noun);
  const named = names(best);
  const budget = options.maxQuotedChars ?? MAX_QUOTED_CHARS;
  let quoted = best.end - best.start;
  for (const window of rest) {
    const sameSource = sources.has(window.article.id);
    const ratio = sameSource ? FURTHER_QUOTE_RATIO : FURTHER_SOURCE_RATIO;
    if (window.score < ratio * best.score) break;
    if (window.support < minSupport) continue;
    if (sameSource && chosen.filter((w) => w.article.id === window.article.id).length >= options.maxQuotesPerSource) continue;
    if (!sameSource && sources.size >= options.maxSources) continue;
    if (chosen.some((w) => w.article.id === window.article.id && w.start < window.end && window.start < w.end)) continue;
    if (reading.type && (!window.answer || chosen.some((w) => w.answer && sameText(w, window)))) continue;
    if (named && !names(window)) continue;
    if (quoted + window.end - window.start > budget) continue;
    const own = shingles(window.article.body.slice(window.start, window.end));
    if (shown.some((other) => jaccardAtLeast(own, other, NEAR_DUPLICATE))) continue;
    // An article that repeats its lead in the body ("… do Công ty Nanogen phát triển." and again
    // "… do Công ty Nanogen phát triển là vắc xin …"): a quote within another says nothing new.
    const words = wordsOf(window);
    if (shownWords.some((other) => other.includes(words) || words.includes(other))) continue;
    chosen.push(window);
    quoted += window.end - window.start;
    shown.push(own);
    shownWords.push(words);
    sources.add(window.article.id);
  }
  return chosen;
}

/**
 * A window's words, folded and lower-cased, punctuation as spaces and a space at each end: one
 * window's words stand inside another's when its string is a substring of the other's.
 */
function wordsOf(w: Window): string {
  return ` ${fold(w.article.body.slice(w.start, w.end).toLowerCase()).replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;
}

/** Whether two windows mark the same answer ("400.000 chiếc" twice is one answer). */
function sameText(a: Window, b: Window): boolean {
  const text = (w: Window) => w.article.body.slice(w.answer!.start, w.answer!.end).toLowerCase();
  return text(a) === text(b);
}

function quoteOf(article: Article, span: Span): Quote {
  return { start: span.start, end: span.end, text: article.body.slice(span.start, span.end) };
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
