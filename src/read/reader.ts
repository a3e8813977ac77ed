import type { Article, ScoredChunk, Span } from "../domain/types";
import type { AnalysedQuery } from "../retrieve";
import type { Vocabulary } from "../store";
import { canonicalKeys } from "../text/spelling-variants";
import { tokenizeRecent } from "../text/token-cache";
import { fold, PAIR_JOINER, spaced, tokenize, type Token } from "../text/vietnamese";
import { answerCandidates, expectationOf, ROLE_WORDS, type AnswerType, type Expectation } from "./answer-type";
import type { SentenceCosines } from "./cross-lingual";
import { analyseQuestion, asksAboutDay, type Constraint, type Question } from "./question";

/**
 * The reader: between retrieval (which finds articles) and the answer (which shows quotes), it
 * decides *what* is shown and *whether* anything is. It scores every sentence, and every pair of
 * adjacent sentences of one paragraph, of the best articles against the question:
 *
 *   score   = evidence × constraints × type × length × article   (blended with dense, when on)
 *   support = coverage × constraints × type (numbers and dates only) × paired × asked
 *
 * - coverage: idf-weighted share of the question's topical syllables inside the window, plus part
 *   credit for those only in the article's title (the story's subject is often named there and
 *   called "ông", "bệnh nhân" in the sentence that answers); a syllable the question writes inside
 *   a phrase the corpus knows counts half outside it; evidence blends in the share of the
 *   question's word pairs held in order;
 * - constraints: numbers, years, names, quoted phrases and corpus-rare words the question writes
 *   must stand in the window, the title or the date; elsewhere in the article costs a little,
 *   nowhere a lot;
 * - type: a "bao nhiêu" question wants a number (with the unit asked), "khi nào" a date (as
 *   precise as asked), "ở đâu" a place, "ai" a name, "vì sao" a reason (see `answer-type.ts`);
 * - length: two sentences must earn their place over one (a setting; 1 by default, since the
 *   sentence after the one that echoes the question often holds the answer), but a first sentence
 *   holding none of the question's words costs a little (the shorter quote says the same), unless
 *   the two are one quotation;
 * - paired: a window that holds none of the question's word pairs in order (nor does its title)
 *   matched loose syllables only ("Minh phát biểu" for "phát minh"), and needs more of them;
 * - asked: a window that holds only the names and numbers of the question (nor does its title
 *   hold its other words) says nothing of what is asked about them, and needs more;
 * - article: the retriever's confidence in the window's article;
 * - dense (a model loaded): the similarity of the window's passage to the question; for an English
 *   question, whose words the article does not write, its sentences' own similarity, which then
 *   leads and decides "not found" (`cross-lingual.ts`, `rankBySimilarity`).
 *
 * The question is answered only when the best window's support reaches `minSupport` (or its
 * passage is very close to the question): the words of the question must meet in one place of one
 * article, not be spread over its paragraphs.
 */

export interface ReaderSettings {
  /** Articles (best first in retrieval) whose sentences are read. */
  articles: number;
  /** Support (coverage × constraints) the best window needs for an answer. */
  minSupport: number;
  /**
   * A question that names its unit, whose best window holds no quantity of it: a window of the same
   * article scoring at least this share of the best, with one, is shown instead.
   */
  measuredFallback: number;
  /** Credit for a topical syllable found in the title but not in the window. */
  titleCredit: number;
  /** Weight of the question's word pairs (held in order) against its loose syllables in `evidence`. */
  pairWeight: number;
  /** Factor for a window without what the question's type asks for. */
  missingTypeFactor: number;
  /** Credit for a question syllable found in the window outside the phrase the question writes it in. */
  boundCredit: number;
  /** Weight of the question's word pairs in support (the rest: its loose syllables). */
  supportPairWeight: number;
  /**
   * Factor on support for a window without the number or date the question asks for, or without
   * the words it requires (`Question.required`): 0, since a "how old", "how many" or "which year"
   * question is not answered by a sentence without one, nor "how to take a screenshot" by one
   * that never says "take".
   */
  missingTypeSupport: number;
  /**
   * Factor on support for a window that holds none of the question's word pairs in order (nor does
   * its article's title), only loose syllables of it: "ai phát minh ra đồng hồ quả lắc" is not
   * answered by a sentence about aliens that happens to write "họ", "qua" and "liên lạc". Not for an
   * English question, whose pairs are English words.
   */
  unpairedSupport: number;
  /**
   * Factor on support for a window that holds, of the question's words, only its names and
   * numbers (`Question.asked`), and whose article's title does not hold the others either:
   * "Mozambique dùng đồng tiền gì?" is not answered by a sentence about a bridge in Mozambique,
   * however rare the name makes its coverage.
   */
  namesOnlySupport: number;
  /** Factor for a two-sentence window. */
  pairFactor: number;
  /**
   * Factor for a two-sentence window whose first sentence holds none of the question's words: the
   * same answer without that sentence is the shorter quote.
   */
  leadFactor: number;
  /**
   * How much the article's retrieval score counts: a window's score is multiplied by (its article's
   * score / the best article's score) ^ articleWeight.
   */
  articleWeight: number;
  /**
   * A topical syllable found in at most this share of the corpus's passages is a constraint: a
   * question about "Zorvania" is not answered by an article that lacks it.
   */
  rareShare: number;
  /** With dense retrieval on: weight of the window's passage similarity in its score. */
  denseWeight: number;
  /** With dense retrieval on: a window whose passage is at least this close to a Vietnamese question supports an answer by itself. */
  minDense: number;
  /**
   * The same for an English question over the (Vietnamese) articles, whose cosines run lower: words
   * cannot support it, so its passage's similarity is all the evidence there is. Used when its
   * sentences were not embedded (see `ReaderInput.cosines`).
   */
  minDenseCrossLingual: number;
  /**
   * With the sentences embedded (an English question): the question is answered when the best
   * window's similarity plus its lead over the closest sentence outside it reaches this.
   */
  minCloseness: number;
  /** With the sentences embedded: weight of the words' evidence (names, numbers) added to a window's similarity. */
  crossLingualWordWeight: number;
  /** With the sentences embedded: subtracted from the similarity of a window without what the question's type asks for. */
  crossLingualTypeMiss: number;
  /** With the sentences embedded: subtracted from the similarity of a two-sentence window (the closer sentence alone says it shorter). */
  crossLingualPairCost: number;
  /** With the sentences embedded: how far below the best window's similarity a window's score reaches 0. */
  crossLingualSpread: number;
}

export const DEFAULT_READER: ReaderSettings = {
  articles: 5,
  minSupport: 0.45,
  titleCredit: 0.5,
  measuredFallback: 0.8,
  pairWeight: 0.3,
  missingTypeFactor: 0.7,
  missingTypeSupport: 0,
  // Chosen on the calibration sets (0.7 / 0.8 / 0.9 / 1): hard off-corpus 0.766 / 0.766 / 0.757 /
  // 0.748 "not found", vinewsqa-dev "not found" on answerable 0.034 / 0.032 / 0.032 / 0.031 (the
  // questions it refuses at 0.8 were all answered wrongly before).
  unpairedSupport: 0.8,
  // Chosen on the calibration sets (1 / 0.8 / 0.6 / 0): "not found" on off-corpus 0.900 / 0.917 /
  // 0.917 / 0.917, off-corpus-hard 0.841 / 0.850 / 0.850 / 0.860; on answerable questions
  // vinewsqa-dev 0.028 / 0.029 / 0.030 / 0.034 and xquad-vi 0.082 / 0.085 / 0.087 / 0.099, with
  // containment unchanged at 0.8 (those it refuses were answered wrongly) and lower past it.
  namesOnlySupport: 0.8,
  supportPairWeight: 0,
  boundCredit: 0.5,
  pairFactor: 1,
  leadFactor: 0.9,
  articleWeight: 2,
  rareShare: 2e-4,
  denseWeight: 0.3,
  minDense: 0.92,
  minDenseCrossLingual: 0.81,
  // An English question, its sentences embedded. Chosen on 162 xquad-en2vi questions (every third
  // of the first 486) and the 19 English questions of the calibration off-corpus sets
  // (off-corpus.qa.jsonl, off-corpus-hard's calibration part), full news index, e5-small q8, by
  // replaying the reader's choice over the dumped sentence cosines. minCloseness 0.80 / 0.81 / 0.82:
  // en2vi answered 0.62 / 0.55 / 0.47, gold in the quotes 0.41 / 0.38 / 0.35, off-corpus answered
  // 3 / 2 / 2 of 19 (the reader before: en2vi 0.41 answered, 5 of 19 off-corpus); similarity alone
  // (no lead) at 0.81: en2vi answered 0.38, off-corpus 2 of 19. Word weight 0 / 0.05 / 0.1 and type
  // cost 0.02 / 0.03 / 0.05 moved nothing by more than a question or two; pairs at no cost take the
  // quoted characters from 243 to 386 for +0.02 containment; spread 0.05 / 0.1 / 0.2 (how close a
  // second quote must come): containment 0.33 / 0.38 / 0.38, 215 / 243 / 289 characters.
  minCloseness: 0.81,
  crossLingualWordWeight: 0.05,
  crossLingualTypeMiss: 0.03,
  crossLingualPairCost: 0.01,
  crossLingualSpread: 0.1,
};

/** A candidate quote: one sentence, or two adjacent sentences of one paragraph. */
export interface Window extends Span {
  article: Article;
  /** The retrieval rank of its article (0: the best article). */
  articleRank: number;
  score: number;
  /**
   * How much of the question the window holds, 0..1: the idf-weighted share of its topical
   * syllables (title credit included) blended with the share of its word pairs held in order.
   */
  evidence: number;
  /** Product of the constraint factors (1: every number, name and quoted phrase stands near). */
  constraints: number;
  /** Syllable coverage (title credit included) × constraints: what "not found" is decided on. */
  support: number;
  /** Cosine similarity of the window's passage to the question; null with dense retrieval off. */
  dense: number | null;
  /** Where the answer stands (absolute body offsets), when the question asks for a type and the window holds one. */
  answer: Span | null;
  /** Whether it holds the words the question requires (`Question.required`: the action of a how-to question); true when none. */
  acted: boolean;
  /** Whole words of the window that the question also writes (absolute offsets), for emphasis; set on the best windows only. */
  matches: Span[];
  /** The window's sentences, as read. */
  readonly parts: readonly ReadSpan[];
}

export interface Reading {
  type: AnswerType | null;
  /**
   * What the answer names when the question says ("bao nhiêu điểm", "xã nào"): once the first quote
   * names it, a further quote must too ("28 điểm" is not seconded by "ba phút").
   */
  noun: string | null;
  /** Best first, at most one per sentence start; empty when nothing was read. */
  windows: Window[];
  /** True when the best window supports an answer. */
  answerable: boolean;
  /**
   * For a question about today or last night that no recent article answers but an older one
   * does: that article's date (YYYY-MM-DD), which the reply names.
   */
  outdated?: string;
}

/** What the reader takes of a retrieval: the analysed question and the hits, best first. */
export interface ReaderInput {
  query: AnalysedQuery;
  /** Articles in order of their best passage. */
  hits: ScoredChunk[];
  /**
   * Each embedded sentence's similarity to the question (`sentenceCosines`), for a question whose
   * words cannot be matched (English over Vietnamese articles): only the windows of these sentences
   * are read, and chosen by it.
   */
  cosines?: SentenceCosines | null;
  /**
   * When the question is asked (ms since the epoch; the clock when not given). A question about
   * that day or the day before ("giá vàng hôm nay", "tối qua MU đá với ai") is read only in the
   * articles published within `RECENT_MS` before it.
   */
  now?: number;
  /** Read every retrieved article, whatever day the question asks about (what a reply names when no recent article answers). */
  archive?: boolean;
}

/** How recent an article must be to tell of "today" or "last night": two days, for time zones and late editions. */
const RECENT_MS = 2 * 24 * 3600 * 1000;

/** Whether an article was published within `RECENT_MS` before `now` (an undated one never is). */
function publishedRecently(article: Article, now: number): boolean {
  const published = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
  return published >= now - RECENT_MS && published <= now + RECENT_MS / 2;
}

/** What the reader needs of the index (a `CorpusIndex` is one). */
export interface ReaderCorpus {
  readonly vocabulary: Vocabulary;
  /** All sentences of an article: the reader reads beyond the retrieved passages. */
  sentencesOf(articleId: string): Span[];
}

/**
 * Reads the best articles' sentences and ranks the windows that answer the question.
 *
 * @example read(await retriever.retrieve(question), index)
 */
export function read(input: ReaderInput, corpus: ReaderCorpus, settings: ReaderSettings = DEFAULT_READER): Reading {
  const { query, hits } = input;
  const { vocabulary } = corpus;
  // An English question with its sentences embedded: only those are read, and their similarity leads.
  const cosines = input.cosines && input.cosines.size > 0 ? input.cosines : null;
  const expectation = expectationOf(query.sequence, { typedUnaccented: query.unaccented, firstCue: cosines !== null, english: query.language === "en" });
  // "Bao nhiêu % người chọn…": a question that writes "%" asks for a share (tokens drop the sign).
  if (expectation?.type === "number" && !expectation.units && query.text.includes("%")) expectation.units = new Set(["%", "phần trăm"]);
  const type = expectation?.type ?? null;
  // "Giá vàng hôm nay": only the articles of these days can tell.
  const ranked = topArticles(hits, settings.articles);
  const now = input.now ?? Date.now();
  const articles = asksAboutDay(query.sequence) && !input.archive ? ranked.filter(({ article }) => publishedRecently(article, now)) : ranked;
  const question = analyseQuestion(query, vocabulary, settings.rareShare, query.restored ? articles.map((a) => a.article.body) : []);
  const topScore = articles[0]?.score ?? 0;
  if (expectation?.type === "person") {
    const subject = identityAsked(query, question);
    if (subject) expectation.identity = subject;
  }

  const windows: Window[] = [];
  articles.forEach(({ article, score: articleScore }, rank) => {
    const sentences = corpus.sentencesOf(article.id);
    const embedded = cosines?.get(article.id);
    if (cosines && !embedded) return;
    const { context, spans: read } = readArticle(article, sentences, question, expectation);
    const denseAt = denseLookup(hits, article.id);
    // Read once: a stored article's body is behind a getter and a cache.
    const { body } = article;
    const articleFactor = topScore > 0 ? (articleScore / topScore) ** settings.articleWeight : 0;
    for (let i = 0; i < sentences.length; i++) {
      const one = [read[i]!];
      const two = i + 1 < sentences.length && sameParagraph(body, sentences[i]!, sentences[i + 1]!) ? [read[i]!, read[i + 1]!] : null;
      for (const parts of two ? [one, two] : [one]) {
        const similarity = embedded ? windowCosine(embedded, parts) : null;
        if (embedded && similarity === null) continue;
        const window = score(article, parts, question, context, expectation, settings);
        window.articleRank = rank;
        window.dense = similarity ?? denseAt(window);
        window.score *= articleFactor;
        windows.push(window);
      }
    }
  });
  if (cosines) rankBySimilarity(windows, settings, expectation);
  else blendDense(windows, settings, query.language === "en" ? settings.minDenseCrossLingual : settings.minDense, expectation);
  // Of two windows that score the same, an open question ("… điều gì?") is shown the longer: the
  // second sentence adds none of the question's words, so the first only restates the question and
  // the second is what answers it ("Bà Stephanie cảm thấy khó hiểu. Từ khi chuyển tới…").
  const longerFirst = type === null ? (a: Window, b: Window) => b.parts.length - a.parts.length : () => 0;
  windows.sort((a, b) => b.score - a.score || longerFirst(a, b) || a.articleRank - b.articleRank || a.start - b.start);
  promoteContinuation(windows);
  if (expectation?.units) promoteMeasured(windows, settings);
  // Only the windows that may be shown need their words marked.
  for (const window of windows.slice(0, MARKED_WINDOWS)) window.matches = matchedWords(window.parts, question);
  const best = windows[0];
  const answerable = best !== undefined && best.support >= settings.minSupport;
  // Not answered from the last days' articles: whether an older one would have, and when it was published.
  const archived = !answerable && articles.length < ranked.length ? read({ ...input, archive: true }, corpus, settings) : null;
  const outdated = archived?.answerable ? archived.windows[0]!.article.publishedAt?.slice(0, 10) : undefined;
  return { type, noun: expectation?.noun ?? null, windows, answerable, ...(outdated && { outdated }) };
}

/**
 * Of the windows that score as the best does, the one that goes on past it is shown first: news
 * writes the answer after the sentence that restates the question, not before it ("… bác sĩ phát
 * hiện có bất thường. Cô bàng hoàng khi thấy chân của em bé thứ ba…" over "Hai bé gái lần lượt
 * chào đời… bác sĩ phát hiện có bất thường."). So is a sentence with the next one, when the
 * sentence alone holds no answer span. They score the same because the sentence added holds none
 * of the question's words: only its place tells them apart.
 */
function promoteContinuation(windows: Window[]): void {
  const best = windows[0];
  if (!best || (best.parts.length === 1 && best.answer !== null)) return;
  const last = best.parts.at(-1)!;
  const i = windows.findIndex((w) => w.parts.length === 2 && w.parts[0] === last && w.score === best.score);
  if (i > 0) windows.unshift(...windows.splice(i, 1));
}

/**
 * A question that names its unit ("giá chỉ bao nhiêu": money, "cao bao nhiêu mét", "bao nhiêu
 * tuổi") whose best window holds no such quantity is shown the window of the same article, nearly
 * as good (`measuredFallback` of its score), that holds one: "Với mức giá 10.000 đồng, mọi tầng lớp
 * đều có thể ăn bánh mì nhà chị" over the sentence about the shop that restates the question.
 * Any quantity (the unit not named) or another article would answer questions the corpus cannot.
 */
function promoteMeasured(windows: Window[], settings: ReaderSettings): void {
  const best = windows[0];
  if (!best || best.support >= settings.minSupport) return;
  const i = windows.findIndex((w) => w.article === best.article && w.score >= settings.measuredFallback * best.score && w.support >= settings.minSupport);
  if (i > 0) windows.unshift(...windows.splice(i, 1));
}

// ── Dense similarity ──────────────────────────────────────────────────────────────────────────

/**
 * The cosine similarity of a window's passage to the question, from the retrieved passages of its
 * article (the passage that holds the window; the article's weakest retrieved passage when none
 * does); null when dense retrieval is off or the article was found by words alone.
 */
function denseLookup(hits: ScoredChunk[], articleId: string): (span: Span) => number | null {
  const own = hits.filter((h) => h.article.id === articleId && h.dense !== null);
  if (own.length === 0) return () => null;
  const floor = Math.min(...own.map((h) => h.dense!));
  return (span) => {
    let best: number | null = null;
    for (const h of own) if (h.chunk.start <= span.start && span.end <= h.chunk.end) best = Math.max(best ?? -1, h.dense!);
    return best ?? floor;
  };
}

/**
 * With dense retrieval on, a window's score blends in its passage's similarity (relative to the
 * best one), and a passage very close to the question supports an answer on its own: an English
 * question shares no words with a Vietnamese article, yet its meaning is there.
 */
function blendDense(windows: Window[], settings: ReaderSettings, minDense: number, expectation: Expectation | null): void {
  let top = 0;
  for (const w of windows) if (w.dense !== null) top = Math.max(top, w.dense);
  if (top <= 0) return;
  for (const w of windows) {
    if (w.dense === null) continue;
    w.score = (1 - settings.denseWeight) * w.score + settings.denseWeight * Math.max(0, w.dense / top) * w.constraints;
    // A passage close in meaning still does not answer "how many" or "which year" without a number or date.
    if (w.dense >= minDense) w.support = Math.max(w.support, w.constraints * typeSupportOf(expectation, w.answer, settings));
  }
}

/**
 * The similarity of a window to the question from its sentences' (`SentenceCosines`): the closer
 * sentence's; null when one of them was not embedded.
 */
function windowCosine(cosines: Map<number, number>, parts: readonly ReadSpan[]): number | null {
  let best = -1;
  for (const part of parts) {
    const cosine = cosines.get(part.start);
    if (cosine === undefined) return null;
    best = Math.max(best, cosine);
  }
  return best;
}

/**
 * Scores an English question's windows by their similarity to the question (`Window.dense`,
 * sentence by sentence), with what its words can still say: names and numbers it shares with the
 * window (`evidence`, `constraints`), and the answer type it asks for ("how many", "when", "who").
 *
 * The score is relative to the best window's (1), falling to 0 `crossLingualSpread` below it, so
 * that the answer's "nearly as good" rules for further quotes keep their meaning. Whether the
 * passages answer at all is decided on the best window: its similarity plus its lead over the
 * closest sentence outside it must reach `minCloseness`. Similarity alone separates poorly (e5's
 * cosines are compressed); a sentence that answers also stands out from its neighbours, while
 * for a question the corpus cannot answer every sentence is about equally (un)related. The words
 * give no support of their own here: an English question shares too few with the article.
 */
function rankBySimilarity(windows: Window[], settings: ReaderSettings, expectation: Expectation | null): void {
  const raw = windows.map((w) => {
    const typeMiss = expectation !== null && w.answer === null ? settings.crossLingualTypeMiss : 0;
    const pair = w.parts.length > 1 ? settings.crossLingualPairCost : 0;
    return w.dense! + settings.crossLingualWordWeight * w.evidence * w.constraints - typeMiss - pair;
  });
  let best = 0;
  raw.forEach((r, i) => {
    if (r > raw[best]!) best = i;
  });
  const top = windows[best];
  if (!top) return;
  let runnerUp = -1;
  for (const w of windows) {
    if (w.parts.length === 1 && !top.parts.includes(w.parts[0]!)) runnerUp = Math.max(runnerUp, w.dense!);
  }
  const closeness = runnerUp < 0 ? top.dense! : 2 * top.dense! - runnerUp;
  const answers = closeness >= settings.minCloseness;
  windows.forEach((w, i) => {
    w.score = Math.max(0, 1 - (raw[best]! - raw[i]!) / settings.crossLingualSpread);
    w.support = answers && w.acted ? w.constraints * typeSupportOf(expectation, w.answer, settings) : 0;
  });
}

/** Windows, best first, whose matched words are marked: more than an answer ever shows. */
const MARKED_WINDOWS = 24;

// ── Articles and windows ──────────────────────────────────────────────────────────────────────

/** Distinct articles of the hits, best first, with their best hit's score. */
function topArticles(hits: ScoredChunk[], limit: number): Array<{ article: Article; score: number }> {
  const seen = new Map<string, { article: Article; score: number }>();
  for (const hit of hits) {
    if (seen.size >= limit) break;
    if (!seen.has(hit.article.id)) seen.set(hit.article.id, { article: hit.article, score: hit.score });
  }
  return [...seen.values()];
}

interface ArticleContext {
  /** Keys of the syllables of the title. */
  title: Set<string>;
  /** Whether the title holds one of the question's word pairs in order. */
  titlePaired: boolean;
  /** Where each of the question's constraints stands: in the title or date, somewhere in the body, or nowhere. */
  constraints: Array<"title" | "body" | "nowhere">;
}

/** One sentence, tokenized once for all the windows it is part of. */
export interface ReadSpan extends Span {
  tokens: Token[];
  keys: string[];
  /** The keys that the windows are asked about: the question's topical syllables and the words it requires. */
  keySet: Set<string>;
  /** The question's pairs (keys joined by `PAIR_JOINER`) that the sentence holds, its syllables only spaces apart. */
  pairKeys: Set<string>;
  /** Whether each token is written with a capital (a name, an acronym). */
  capital: boolean[];
  /** Where what the question asks for stands in the sentence (absolute offsets). */
  candidates: Span[];
}

/**
 * Tokenizes an article once: the context the constraints are checked against, and each
 * sentence's tokens (a slice of the body's, absolute offsets), keys, pairs and answer candidates.
 */
function readArticle(
  article: Article,
  sentences: Span[],
  question: Question,
  expectation: Expectation | null,
): { context: ArticleContext; spans: ReadSpan[] } {
  const { body } = article;
  const tokens = tokenizeRecent(body);
  // "vắc xin" as "vaccine", as the question's words are (`analyseQuestion`).
  const keys = canonicalKeys(
    tokens.map((t) => question.key(t.term)),
    question.key,
  );
  const titleTokens = tokenize(article.title);
  const titleSequence = canonicalKeys(
    titleTokens.map((t) => question.key(t.term)),
    question.key,
  );
  const titleCapital = titleTokens.map((t) => /^\p{Lu}/u.test(article.title[t.start]!));
  const bodyCapital = tokens.map((t) => capitalAt(body, t.start));
  const year = article.publishedAt?.slice(0, 4) ?? null;
  // "chốt phiên 26/4/2021" is met by an article of that day, whose date line says so; "tháng
  // 4/2021" by one of that month.
  const published = /^(\d{4})-(\d{2})-(\d{2})/.exec(article.publishedAt ?? "");
  const onDateLine = (c: Constraint) =>
    !!c.date && !!published && (c.date.day === null || c.date.day === Number(published[3])) && c.date.month === Number(published[2]) && (c.date.year === null || c.date.year === Number(published[1]));
  // A year after the article's (a range starting after it) is one it cannot tell of, unless the
  // question asks what is planned (`Question.ahead`).
  const later = (c: Constraint) => !question.ahead && year !== null && /^(?:19|20)\d{2}$/.test(c.terms[0]!) && c.terms[0]! > year;
  const context: ArticleContext = {
    title: new Set(titleSequence),
    titlePaired: titleTokens.some(
      (t, i) => i > 0 && question.pairs.has(`${titleSequence[i - 1]}${PAIR_JOINER}${titleSequence[i]}`) && spaced(article.title, titleTokens[i - 1]!, t),
    ),
    constraints: question.constraints.map((c) =>
      later(c)
        ? "nowhere"
        : holds(titleSequence, titleCapital, c) || (c.terms.length === 1 && c.terms[0] === year) || onDateLine(c)
          ? "title"
          : holds(keys, bodyCapital, c)
            ? "body"
            : "nowhere",
    ),
  };
  // Only what the windows are asked about is kept of each sentence's keys and pairs (`score`
  // asks for the question's syllables, the words it requires and its pairs): most of a body's
  // words and pairs are none of these, and making a pair's text costs more than looking its first
  // word up.
  // One lookup per token says both: whether it is asked about (ASKED) and whether a pair of the
  // question starts with it (PAIR_FIRST).
  const interest = new Map<string, number>();
  const mark = (key: string, flag: number) => interest.set(key, (interest.get(key) ?? 0) | flag);
  for (const key of question.weights.keys()) mark(key, ASKED);
  for (const key of question.required ?? []) mark(key, ASKED);
  const questionPairs = new Set<string>(question.pairs.keys());
  for (const phrases of question.bound.values()) for (const phrase of phrases) questionPairs.add(phrase);
  for (const pair of questionPairs) mark(pair.slice(0, pair.indexOf(PAIR_JOINER)), PAIR_FIRST);
  const spans: ReadSpan[] = [];
  let k = 0;
  for (const span of sentences) {
    while (k < tokens.length && tokens[k]!.start < span.start) k++;
    let end = k;
    while (end < tokens.length && tokens[end]!.end <= span.end) end++;
    const own = tokens.slice(k, end);
    const ownKeys = keys.slice(k, end);
    const keySet = new Set<string>();
    const pairKeys = new Set<string>();
    let before = 0; // the previous token's flags
    for (let i = 0; i < own.length; i++) {
      const flags = interest.get(ownKeys[i]!) ?? 0;
      if ((flags & ASKED) !== 0) keySet.add(ownKeys[i]!);
      if (i > 0 && (before & PAIR_FIRST) !== 0) {
        const pair = `${ownKeys[i - 1]}${PAIR_JOINER}${ownKeys[i]}`;
        if (questionPairs.has(pair) && spaced(body, own[i - 1]!, own[i]!)) pairKeys.add(pair);
      }
      before = flags;
    }
    const capital = bodyCapital.slice(k, end);
    let candidates: Span[] = [];
    if (expectation) {
      const local = own.map((t) => ({ term: t.term, start: t.start - span.start, end: t.end - span.start }));
      candidates = answerCandidates(expectation, body.slice(span.start, span.end), question.folded, local).map((c) => ({
        start: c.start + span.start,
        end: c.end + span.start,
      }));
    }
    spans.push({ start: span.start, end: span.end, tokens: own, keys: ownKeys, keySet, pairKeys, capital, candidates });
    k = end;
  }
  return { context, spans };
}

/** `readArticle`'s flags of a key: asked about (a topical syllable, a required word), the first word of one of the question's pairs. */
const ASKED = 1;
const PAIR_FIRST = 2;

/** Whether the code unit at `offset` is an upper-case letter (`/^\p{Lu}/u` of that unit alone), remembered per unit. */
function capitalAt(text: string, offset: number): boolean {
  const unit = text.charCodeAt(offset);
  let known = upperUnits[unit]!;
  if (known === 0) upperUnits[unit] = known = /^\p{Lu}/u.test(String.fromCharCode(unit)) ? 2 : 1;
  return known === 2;
}

/** Per UTF-16 code unit: 0 not yet known, 1 not an upper-case letter, 2 one. */
const upperUnits = new Uint8Array(0x10000);

function sameParagraph(body: string, a: Span, b: Span): boolean {
  return !body.slice(a.end, b.start).includes("\n");
}

function score(
  article: Article,
  parts: ReadSpan[],
  question: Question,
  context: ArticleContext,
  expectation: Expectation | null,
  settings: ReaderSettings,
): Window {
  const type = expectation?.type ?? null;
  let inWindow = 0;
  let inTitle = 0;
  let askedHeld = question.asked.size === 0 || question.english;
  for (const [s, w] of question.weights) {
    if (holdsKey(parts, s)) {
      askedHeld ||= question.asked.has(s);
      const phrases = question.bound.get(s);
      inWindow += phrases && !phrases.some((phrase) => holdsPair(parts, phrase)) ? settings.boundCredit * w : w;
    } else if (context.title.has(s)) {
      inTitle += w;
      askedHeld ||= question.asked.has(s);
    }
  }
  const coverage = question.total > 0 ? Math.min(1, (inWindow + settings.titleCredit * inTitle) / question.total) : 0;
  // Word pairs held in order: "công dụng" is not "dụng cụ" and "công" somewhere else.
  let evidence = coverage;
  let phrased = coverage;
  let paired = question.pairTotal === 0 || question.english || context.titlePaired;
  if (question.pairTotal > 0) {
    let held = 0;
    for (const [pair, w] of question.pairs) {
      const word = question.wordPairs.get(pair);
      if (word === undefined ? holdsPair(parts, pair) : holdsKey(parts, word)) held += w;
    }
    paired ||= held > 0;
    evidence = (1 - settings.pairWeight) * coverage + settings.pairWeight * (held / question.pairTotal);
    phrased = (1 - settings.supportPairWeight) * coverage + settings.supportPairWeight * (held / question.pairTotal);
  }

  let constraints = 1;
  question.constraints.forEach((c, i) => {
    const where = context.constraints[i]!;
    if (where === "title") return;
    if (where === "nowhere") constraints *= c.nowhere;
    else if (!parts.some((p) => holds(p.keys, p.capital, c)) && !(c.terms.length === 2 && parts.length === 2 && straddles(parts, c.terms))) constraints *= c.elsewhere;
  });

  const candidates = parts.length === 1 ? parts[0]!.candidates : parts.flatMap((p) => p.candidates);
  // "bao nhiêu chiếc": a number of "chiếc" answers better than "top 10 mẫu".
  const noun = expectation?.noun;
  const counted = noun ? candidates.filter((c) => article.body.slice(c.start, c.end).toLowerCase().includes(noun)) : [];
  const chosen = type ? nearestToQuestion(counted.length > 0 ? counted : candidates, parts, question, expectation?.anchor, type === "number" || type === "date" ? BEFORE_ANCHOR : 1) : null;
  const answer = chosen && expectation && expectation.counted.length > 0 ? withCounted(chosen, parts, expectation.counted) : chosen;
  const typeFactor = type && !answer ? settings.missingTypeFactor : noun && counted.length === 0 ? (1 + settings.missingTypeFactor) / 2 : 1;
  const lead = parts.length > 1 && !parts[0]!.keys.some((k) => question.weights.has(k)) && !oneQuotation(article.body, parts);
  const lengthFactor = parts.length > 1 ? settings.pairFactor * (lead ? settings.leadFactor : 1) : 1;
  // "Cách chụp màn hình laptop?" is not answered by a sentence about laptop screens that never says "chụp".
  const acted = question.required === null || question.required.some((key) => holdsKey(parts, key));
  const support =
    phrased * constraints * typeSupportOf(expectation, answer, settings) * (acted ? 1 : settings.missingTypeSupport) * (paired ? 1 : settings.unpairedSupport) *
    (askedHeld ? 1 : settings.namesOnlySupport);
  return {
    article,
    articleRank: 0,
    start: parts[0]!.start,
    end: parts.at(-1)!.end,
    score: evidence * constraints * typeFactor * lengthFactor,
    evidence,
    constraints,
    support,
    answer,
    acted,
    dense: null,
    matches: [],
    parts,
  };
}

/**
 * Whether one of the window's sentences holds the key (`ReadSpan.keySet`). A function of the module,
 * not a closure made per window: every closure a window made cost as much as the lookups it
 * served (tsx keeps function names, one `Object.defineProperty` per closure made).
 */
function holdsKey(parts: readonly ReadSpan[], key: string): boolean {
  for (const p of parts) if (p.keySet.has(key)) return true;
  return false;
}

/** Whether one of the window's sentences holds the pair in order (`ReadSpan.pairKeys`). */
function holdsPair(parts: readonly ReadSpan[], pair: string): boolean {
  for (const p of parts) if (p.pairKeys.has(pair)) return true;
  return false;
}

/**
 * The factor on a window's support for what the question's type asks: only a missing number or
 * date, or a place of the kind asked by name ("xã nào", "núi nào"), weighs on "not found"; those
 * are recognised reliably, while a person or a place in general may be answered without a
 * capitalised name ("các nhà khoa học", "ở quê").
 */
function typeSupportOf(expectation: Expectation | null, answer: Span | null, settings: ReaderSettings): number {
  if (answer || !expectation) return 1;
  const { type, units } = expectation;
  return type === "number" || type === "date" || (type === "place" && units !== null) ? settings.missingTypeSupport : 1;
}

/** The answer span extended by the words the question counts, where they follow it ("830" → "830 đảng viên"). */
function withCounted(span: Span, parts: readonly ReadSpan[], counted: string[]): Span {
  const tokens = parts.flatMap((p) => p.tokens);
  let i = tokens.findIndex((t) => t.start >= span.end);
  if (i < 0) return span;
  let end = span.end;
  for (const word of counted) {
    const token = tokens[i];
    if (!token || token.start - end > 1 || fold(token.term) !== fold(word)) break;
    end = token.end;
    i++;
  }
  return { start: span.start, end };
}

/**
 * True when two sentences are one quotation, opened in the first and closed in the second
 * ("\"Tôi đã sống một cuộc đời rất hạnh phúc. Không quan trọng…\", bà chia sẻ."): the first is not
 * a lead to drop, and the second alone would start in the middle of someone's words.
 */
function oneQuotation(body: string, parts: readonly ReadSpan[]): boolean {
  const first = body.slice(parts[0]!.start, parts[0]!.end);
  const second = body.slice(parts[1]!.start, parts[1]!.end);
  const straight = occurrences(first, '"') % 2 === 1 && occurrences(second, '"') % 2 === 1;
  const curly = occurrences(first, "“") > occurrences(first, "”") && occurrences(second, "”") > occurrences(second, "“");
  return straight || curly;
}

function occurrences(text: string, mark: string): number {
  return text.split(mark).length - 1;
}

/**
 * The name a question asks who someone is of ("Chanathip là ai?", "HLV Park Hang Seo là ai?",
 * "Who is Park Hang Seo?"), as folded syllables without the title before it: a question that is a
 * name, written with capitals (or a name the reader found, typed in lower case), and "là ai".
 * Null for any other question ("Chủ tịch nước là ai?" asks for a name).
 */
function identityAsked(query: AnalysedQuery, question: Question): string[] | null {
  const folded = query.sequence.map(fold);
  if (folded.length < 3 || folded.length > 7) return null;
  // Where the name stands: before "là ai", or after "Who is" in English.
  const english = query.language === "en";
  const asked = english ? folded[0] === "who" && (folded[1] === "is" || folded[1] === "was") : folded.at(-2) === "la" && folded.at(-1) === "ai";
  if (!asked) return null;
  const [from, to] = english ? [2, folded.length] : [0, folded.length - 2];
  const tokens = tokenize(query.text);
  const capitals = tokens.length === folded.length && tokens.slice(from, to).every((t) => /^\p{Lu}/u.test(query.text.slice(t.start, t.end)));
  const subject = folded.slice(from, to);
  if (english) return capitals ? subject : null;
  // "Ông", "HLV": a title, which the articles may or may not write before the name.
  const title = ROLE_WORDS.has(subject.slice(0, 2).join(" ")) && subject.length > 2 ? 2 : ROLE_WORDS.has(subject[0]!) && subject.length > 1 ? 1 : 0;
  const name = subject.slice(title);
  const named = question.constraints.some((c) => c.name && c.terms.map(fold).join(" ") === name.join(" "));
  return capitals || named ? name : null;
}

/** True when a two-syllable constraint starts at the end of the first sentence and ends the second. */
function straddles(parts: ReadSpan[], terms: string[]): boolean {
  return parts[0]!.keys.at(-1) === terms[0] && parts[1]!.keys[0] === terms[1];
}

/**
 * True when a constraint's terms stand in order in `keys`. A one-syllable name must be written with
 * a capital there ("Pháp", not the "pháp" of "giải pháp"); a longer one is its own evidence in any
 * case (a question writes "Quốc Ca" where the article writes "quốc ca").
 */
function holds(keys: string[], capital: boolean[], c: Constraint): boolean {
  if (c.alternatives?.some((terms) => contains(keys, terms))) return true;
  if (!c.name || c.terms.length > 1) return contains(keys, c.terms);
  outer: for (let i = 0; i + c.terms.length <= keys.length; i++) {
    for (let k = 0; k < c.terms.length; k++) if (keys[i + k] !== c.terms[k] || !capital[i + k]) continue outer;
    return true;
  }
  return false;
}

/** True when `needle` occurs as a contiguous run of `haystack`. */
function contains(haystack: string[], needle: string[]): boolean {
  if (needle.length === 1) return haystack.includes(needle[0]!);
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * How much farther a quantity or a date standing before the question's word is read than one
 * after it: news writes them after what they are of ("RON 95 là 18.970 đồng/lít", not the
 * "17.806 đồng/lít" of RON 92 just before). Answer spans (bold), `eval/read-tune.ts`, 1 → 2:
 * vinewsqa-dev 0.539 → 0.540, realistic-news-2's read half 0.469 → 0.500, xquad-vi 0.561 → 0.563,
 * every quote unchanged. Not a name: "Joe Biden, tổng thống thứ 46 của Mỹ" names him before.
 */
const BEFORE_ANCHOR = 2;

/**
 * The candidate answer closest (in words) to the question's words in the window: "Haval H6 bán
 * được gần 400.000 chiếc, trong khi…" puts the number next to what was asked.
 */
function nearestToQuestion(candidates: Span[], parts: readonly ReadSpan[], question: Question, anchor?: string, beforeFactor = 1): Span | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  const anchorKey = anchor === undefined ? null : question.key(anchor);
  const asked = anchorKey === null ? [] : parts.flatMap((p) => p.tokens.filter((_, i) => p.keys[i] === anchorKey)).map((t) => t.start);
  const anchors = asked.length > 0 ? asked : parts.flatMap((p) => p.tokens.filter((_, i) => question.weights.has(p.keys[i]!))).map((t) => t.start);
  if (anchors.length === 0) return candidates[0]!;
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = Math.min(...anchors.map((a) => (a < c.start ? c.start - a : a > c.end ? (a - c.end) * beforeFactor : 0)));
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The window's words that the question writes, as whole words: a run of two or more topical
 * syllables that stand side by side in the question too ("Hữu Lũng", "đảng viên"), or a lone
 * name or number the question writes ("Sa", "2019"). A lone common syllable is not marked: in
 * "bệnh nhân" it would be half a word.
 */
function matchedWords(parts: readonly ReadSpan[], question: Question): Span[] {
  const spans: Span[] = [];
  for (const { tokens, keys, capital } of parts) {
    const topical = keys.map((k) => question.weights.has(k));
    const marked = keys.map((k, i) => topical[i]! && (capital[i]! || /\d/.test(k)));
    // A pair of the question's, both topical or both capitalised ("An Giang": "an" alone is a stopword).
    for (let i = 1; i < tokens.length; i++) {
      const name = capital[i - 1]! && capital[i]! && (topical[i - 1]! || topical[i]!);
      // Or the syllables of one word ("vắc xin", read as "vaccine": `canonicalKeys`).
      const oneWord = topical[i - 1]! && keys[i - 1] === keys[i];
      if (oneWord || (((topical[i - 1] && topical[i]) || name) && question.pairs.has(`${keys[i - 1]}${PAIR_JOINER}${keys[i]}`))) {
        marked[i - 1] = true;
        marked[i] = true;
      }
    }
    tokens.forEach((token, i) => {
      if (!marked[i]) return;
      const last = spans.at(-1);
      if (last && i > 0 && marked[i - 1] && token.start - tokens[i - 1]!.end <= 1) last.end = token.end;
      else spans.push({ start: token.start, end: token.end });
    });
  }
  return spans;
}
