import { chunkText } from "../chunk";
import type { Article, Embedder, ScoredChunk } from "../domain/types";
import type { CorpusIndex, LexicalHit } from "../store";
import { RecentTrigrams, trigramJaccardAtLeast, type TrigramSet } from "../text/similarity";
import { tokenizeRecent } from "../text/token-cache";
import { fold, tokenize } from "../text/vietnamese";
import { analyseQuery, topicalOf, type AnalysedQuery } from "./query";
import { SentenceTerms } from "./sentence-terms";
import { TermParts } from "./term-parts";

export interface RetrieveOptions {
  /** Passages to return (after grouping and de-duplication). */
  limit?: number;
  /** Inclusive ISO dates (`YYYY-MM-DD`); articles without a date are excluded when set. */
  since?: string;
  until?: string;
  /** Only articles of this category (case- and accent-insensitive). */
  category?: string;
  /**
   * The articles the reader's previous answer cited, when this question may follow it up ("Vì sao
   * bệnh nhân phải nhập viện?" after a question about one patient). Such an article that covers
   * the question is preferred (`followUpBoost`); one that does not is left where it ranks.
   */
  followUp?: readonly string[];
}

export interface Retrieval {
  query: AnalysedQuery;
  /** Best first; at most `maxPerArticle` passages of one article, articles ordered by their best passage. */
  hits: ScoredChunk[];
  /** Share (0..1, idf-weighted) of the question's syllables found in the best article. */
  coverage: number;
  /** Cosine similarity of the best passage, when dense retrieval is on. */
  bestDense: number | null;
  /** The question's embedding, when dense retrieval is on: the reader compares sentences with it. */
  queryVector: Float32Array | null;
  /** True when the evidence is below the calibrated threshold: answer "not found". */
  notFound: boolean;
}

export interface FusionWeights {
  /** Passage level: weight of the normalised BM25 score; the dense cosine gets `1 - lexical`. */
  lexical: number;
  /** Weight of the whole-article BM25 score against the passage score (0: passages alone). */
  article: number;
  /**
   * Rank fusion instead of score fusion at the passage level, with this constant k: a passage
   * scores lexical / (k + its BM25 rank) + (1 − lexical) / (k + its similarity rank) among the
   * candidates (ranks from 1; every one's similarity computed), scaled so that first on both
   * scores 1. Absent: score fusion. Measured, not the default (README, "Retrieval").
   */
  rank?: number;
}

/**
 * Below this share of the question's informative syllables, the corpus does not hold the answer.
 * Calibrated with eval/tune.ts --coverage on the dev sets: the strictest value that keeps "not
 * found" on answerable questions at or under 5 % on both (0.61: 3.6 % vinewsqa-dev, 4.5 % xquad-vi;
 * 0.63 takes xquad-vi to 5.3 %).
 */
export const DEFAULT_MIN_COVERAGE = 0.61;
/** With dense vectors on, a passage this close to the question is evidence on its own. */
export const DEFAULT_MIN_DENSE = 0.85;
/**
 * A topical syllable the best article lacks and that is this rare in the whole corpus (share of
 * passages) means the question is about something the corpus does not cover ("Zorvania", "năm
 * 2031"). A share, so that it scales: 2 passages in 14k, none in a small corpus. Calibrated with
 * eval/tune.ts --missing: from "never seen" to 2 in 14k took the off-corpus not-found rate from
 * 0.80 to 0.83, for +0.3 pts of not-found on answerable questions.
 */
export const DEFAULT_MAX_MISSING_SHARE = 2e-4;
export const DEFAULT_FUSION: FusionWeights = { lexical: 0.7, article: 0.5 };
/**
 * Fusion for an English question over the Vietnamese articles (dense on): the passages' similarity
 * alone, and no sentence evidence. Its words are English; the few a Vietnamese article also writes
 * are names and the English terms news quotes in passing ("Allen" of another Allen), which pull
 * the wrong articles up. xquad-en2vi, e5-small q8, recall@1: on xquad-vi's 48 articles + 500 news
 * articles, DEFAULT_FUSION 0.604, lexical 0.2 / article 0.2 0.707; on the full news index (every
 * 4th question, 298), lexical 0.2 / article 0.2 with sentence evidence 0.681, without it 0.674,
 * and article 0 0.695, lexical 0 0.718 (an article's second-best passage blended in: 0.698).
 */
export const CROSS_LINGUAL_FUSION: FusionWeights = { lexical: 0, article: 0 };
/**
 * Exponent of the coordination factor (see `coordinator`). eval/tune.ts --coordination, recall@1 /
 * MRR@10 on vinewsqa-dev with sentence evidence on: 0.25 → 0.777 / 0.817, 0.5 → 0.778 / 0.818,
 * 0.75 → 0.775 / 0.816, 1 → 0.770 / 0.813.
 */
export const DEFAULT_COORDINATION = 0.5;
/**
 * Weight of an article's best sentence (share of the question's topical syllables it holds) against
 * its fused passage score. eval/tune.ts, recall@1 vinewsqa-dev / xquad-vi: 0 → 0.764 / 0.938,
 * 0.5 → 0.775 / 0.942, 0.75 → 0.778 / 0.941, 1 → 0.775; two-sentence windows did no better.
 */
export const DEFAULT_SENTENCE_WEIGHT = 0.75;
/**
 * Added to the score (0..1) of a previously cited article that covers a follow-up question.
 * eval/tune.ts --follow-ups --follow-up-boost, recall@1 with each dev set asked as one conversation
 * in file order (an article's questions one after another), vinewsqa-dev / xquad-vi: 0 → 0.777 /
 * 0.941, 0.1 → 0.806 / 0.955, 0.2 → 0.822 / 0.963, 0.3 → 0.827 / –. In shuffled order, where the
 * previous answer is about something else, 0.2 costs nothing (0.777 / 0.941) and 0.3 costs 0.2 pts.
 */
export const DEFAULT_FOLLOW_UP_BOOST = 0.2;

/**
 * Passages and whole articles taken from BM25 before fusion. 100 and 25 (200 and 50 before): the
 * reader reads five articles and the answer cites two, and the k-th best that pruning must beat
 * is higher for a smaller k, so fewer postings are walked. On the dev sets the answers are the same
 * but for a few questions (vinewsqa-dev recall@5 0.8726 → 0.8742, first quote 0.6632 → 0.6636,
 * "not found" 0.0272 → 0.0276; xquad-vi recall@5 0.9773 → 0.9765, the rest identical); ask p50 at
 * 26,530 articles 40 → 33 ms, at 2,653 unchanged (README, "Fewer BM25 candidates").
 */
const LEXICAL_CANDIDATES = 100;
const ARTICLE_CANDIDATES = 25;
/** Top articles whose passages are scored even when none made the passage candidates. */
const ARTICLES_TO_COMPLETE = 10;
const DENSE_CANDIDATES = 60;
const MAX_PER_ARTICLE = 3;
/** Articles (best first) whose sentences are read for sentence evidence; more did no better. */
const SENTENCE_RERANK_ARTICLES = 10;

export interface RetrieverSettings {
  fusion?: FusionWeights;
  /** Exponent of the coordination factor (0: plain BM25). */
  coordination?: number;
  minCoverage?: number;
  /** A topical syllable missing from the best article and found in at most this share of passages overall means "not found". */
  maxMissingShare?: number;
  minDense?: number;
  /** Weight of the best-sentence share in the final score (0: off). */
  sentenceWeight?: number;
  /** Added to the score of a previously cited article that covers the question (0: follow-ups off). */
  followUpBoost?: number;
}

/**
 * Hybrid retrieval: BM25 candidates and HNSW candidates fused by weighted score, grouped by
 * article, near-duplicates collapsed, and judged against a relevance threshold.
 *
 * One primitive: `retrieve(question, options)`.
 */
export class Retriever {
  readonly fusion: FusionWeights;
  readonly minCoverage: number;
  readonly minDense: number;
  readonly coordination: number;
  readonly maxMissingShare: number;
  readonly sentenceWeight: number;
  readonly followUpBoost: number;
  /** The best articles' sentences, as term numbers, for sentence evidence (`bestSentenceShare`). */
  private readonly sentenceTerms: SentenceTerms;
  /** Per term number of `sentenceTerms`, the question's topical syllable it is (place + 1; 0: none), set while one article is read. */
  private placeOf = new Int32Array(1024);
  /** The word trigrams of the passages compared for near-duplicates (`collapse`), remembered. */
  private readonly trigrams = new RecentTrigrams();

  constructor(
    private readonly index: CorpusIndex,
    private readonly embedder: Embedder | null,
    settings: RetrieverSettings = {},
  ) {
    this.fusion = settings.fusion ?? DEFAULT_FUSION;
    this.minCoverage = settings.minCoverage ?? DEFAULT_MIN_COVERAGE;
    this.minDense = settings.minDense ?? DEFAULT_MIN_DENSE;
    this.coordination = settings.coordination ?? DEFAULT_COORDINATION;
    this.maxMissingShare = settings.maxMissingShare ?? DEFAULT_MAX_MISSING_SHARE;
    this.sentenceWeight = settings.sentenceWeight ?? DEFAULT_SENTENCE_WEIGHT;
    this.followUpBoost = settings.followUpBoost ?? DEFAULT_FOLLOW_UP_BOOST;
    this.sentenceTerms = new SentenceTerms((id) => index.sentencesOf(id));
  }

  /** Dense retrieval is on when the index has vectors and a model of the same kind is loaded. */
  get denseOn(): boolean {
    return this.embedder !== null && this.index.hasVectors;
  }

  async retrieve(question: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    const index = this.index;
    const query = analyseQuery(question, index.vocabulary);
    const allowed = allowedArticles(index, options);
    const chunkFilter = allowed ? (position: number) => allowed.has(index.articleIdOf(position)) : undefined;

    // 1. Candidates: passages by BM25 and (when on) by vector, articles by whole-article BM25.
    const candidates = new Map<number, { lexical: number; dense: number | null; terms: string[] }>();
    const addLexical = (hits: LexicalHit[], top: number) => {
      for (const hit of hits) {
        if (!candidates.has(hit.id)) candidates.set(hit.id, { lexical: top > 0 ? hit.score / top : 0, dense: null, terms: hit.terms });
      }
    };
    const topical = this.topical(query);
    const coordinate = this.coordinator(topical);
    const found = await index.searchBoth(query.termQueries, {
      passageLimit: LEXICAL_CANDIDATES,
      articleLimit: ARTICLE_CANDIDATES,
      ...(allowed ? { passageFilter: chunkFilter!, articleFilter: (id: string) => allowed.has(id) } : {}),
    });
    const passageHits = coordinate(found.passages);
    const topPassage = passageHits[0]?.score ?? 0;
    addLexical(passageHits, topPassage);

    const articleHits = coordinate(found.articles);
    const topArticle = articleHits[0]?.score ?? 0;
    const articleScore = new Map(articleHits.map((h) => [index.articles[h.id]!.id, topArticle > 0 ? h.score / topArticle : 0]));

    let bestDense: number | null = null;
    let queryVector: Float32Array | null = null;
    if (this.denseOn && query.syllables.length > 0) {
      const vector = (queryVector = await this.embedder!.embedQuery(query.text));
      for (const hit of index.searchVector(vector, DENSE_CANDIDATES, chunkFilter)) {
        const cosine = 1 - hit.distance;
        bestDense = Math.max(bestDense ?? -1, cosine);
        const existing = candidates.get(hit.id);
        if (existing) existing.dense = cosine;
        else candidates.set(hit.id, { lexical: 0, dense: cosine, terms: [] });
      }
    }

    // An article found as a whole but none of whose passages made the cut: score its passages too.
    const covered = new Set([...candidates.keys()].map((p) => index.articleIdOf(p)));
    const missing = new Set(articleHits.slice(0, ARTICLES_TO_COMPLETE).map((h) => index.articles[h.id]!.id).filter((id) => !covered.has(id)));
    if (missing.size > 0) {
      addLexical(coordinate(index.searchLexicalIn(query.termQueries, missing, LEXICAL_CANDIDATES)), topPassage);
    }

    // 2. Fusion: passage score = weighted BM25 and cosine; then blended with its article's score.
    // An English question over Vietnamese articles shares names with them at best: the dense side
    // leads (CROSS_LINGUAL_FUSION), words only break ties.
    const crossLingual = this.denseOn && query.language === "en";
    const w = !this.denseOn ? 1 : crossLingual ? CROSS_LINGUAL_FUSION.lexical : this.fusion.lexical;
    // Every candidate's similarity, not only that of the nearest the vector search returned: a
    // passage found by its words is compared with the question too, so that fusion and the reader
    // weigh all of them alike (one dot product each). Not for an English question, whose fusion
    // is the similarity alone and whose reader embeds sentences (CROSS_LINGUAL_FUSION).
    if (queryVector && !crossLingual) for (const [position, c] of candidates) c.dense ??= index.cosineTo(queryVector, position);
    const ranked = queryVector && !crossLingual && this.fusion.rank !== undefined ? rankFusion(candidates, w, this.fusion.rank) : null;
    const a = crossLingual ? CROSS_LINGUAL_FUSION.article : this.fusion.article;
    const scored: ScoredChunk[] = [];
    const matchedSyllables = syllableMatcher(query);
    for (const [position, c] of candidates) {
      const chunk = index.chunk(position);
      const article = index.article(chunk.articleId)!;
      const passage = ranked?.get(position) ?? w * c.lexical + (1 - w) * Math.max(0, c.dense ?? 0);
      const score = a * (articleScore.get(article.id) ?? 0) + (1 - a) * passage;
      scored.push({ chunk, article, score, lexical: c.lexical, dense: c.dense, matchedTerms: matchedSyllables(c.terms) });
    }
    scored.sort(byScore);
    // 3. Sentence evidence: a question is usually asked of one sentence, so an article with a
    // sentence (or title) that holds most of the question moves up (not for an English question
    // with dense on: its words are not the article's, see CROSS_LINGUAL_FUSION).
    if (this.sentenceWeight > 0 && !crossLingual) {
      const best = new Map<string, number>();
      for (const hit of scored) {
        if (best.size === SENTENCE_RERANK_ARTICLES) break;
        if (!best.has(hit.article.id)) best.set(hit.article.id, this.bestSentenceShare(topical, hit.article));
      }
      blend(scored, this.sentenceWeight, (id) => best.get(id) ?? 0);
    }
    // 4. Follow-up: the article the reader was just reading comes first when it covers the question.
    const followed = this.followedArticles(topical, options.followUp);
    if (followed.size > 0) blend(scored, this.followUpBoost, (id) => (followed.has(id) ? 1 : 0));

    const hits = collapse(groupByArticle(scored), options.limit ?? 10, this.trigrams.forQuestion());
    const first = hits[0]?.article;
    const { coverage, rarestMissingDf } = first ? (followed.get(first.id) ?? this.evidence(topical, first)) : { coverage: 0, rarestMissingDf: 0 };
    const rare = Math.floor(this.maxMissingShare * index.vocabulary.documents);
    const lexicalEvidence = coverage >= this.minCoverage && rarestMissingDf > rare;
    const denseEvidence = bestDense !== null && bestDense >= this.minDense;
    return { query, hits, coverage, bestDense, queryVector, notFound: hits.length === 0 || (!lexicalEvidence && !denseEvidence) };
  }

  /** The previously cited articles that cover the question (those a follow-up may mean), with their evidence. */
  private followedArticles(topical: Topical, followUp: readonly string[] = []): Map<string, Evidence> {
    const followed = new Map<string, Evidence>();
    if (this.followUpBoost === 0) return followed;
    for (const id of followUp) {
      const article = this.index.article(id);
      const evidence = article && this.evidence(topical, article);
      if (evidence && evidence.coverage >= this.minCoverage) followed.set(id, evidence);
    }
    return followed;
  }

  /**
   * Coordination: a hit's BM25 score is multiplied by (idf-weighted share of the question's topical
   * syllables it contains)^γ, so a passage that repeats one rare word does not outrank one that
   * holds the whole question. Re-sorts the hits.
   */
  private coordinator({ weights, total }: Topical): (hits: LexicalHit[]) => LexicalHit[] {
    const gamma = this.coordination;
    const folded = new Map([...weights.keys()].map((s) => [fold(s), s]));
    if (gamma === 0 || total === 0) return (hits) => hits;
    // The topical syllables a term stands for, by their place in `weights`, per distinct term: the
    // hits of a question (a few hundred) share a few dozen terms.
    const syllables = [...weights.keys()];
    const syllableWeights = [...weights.values()];
    const place = new Map(syllables.map((s, i) => [s, i]));
    const found = new TermParts((part) => {
      const s = weights.has(part) ? part : folded.get(part);
      return s ? place.get(s)! : -1;
    });
    return (hits) => {
      for (const hit of hits) {
        // Summed in the order the syllables are first found, as a set of them would iterate.
        let share = 0;
        for (const i of found.distinct(hit.terms)) share += syllableWeights[i]!;
        hit.score *= (share / total) ** gamma;
      }
      return hits.sort((a, b) => b.score - a.score || a.id - b.id);
    };
  }

  /**
   * The question's topical syllables (all of them when every one is a question word), each with its
   * idf: what coordination, coverage and sentence evidence weigh.
   */
  private topical(query: AnalysedQuery): Topical {
    return { ...topicalOf(query, this.index.vocabulary), coverageKey: query.restored ? fold : exact };
  }

  /**
   * The idf-weighted share of the question's topical syllables held by the article's best single
   * sentence or its title. Spellings are compared exactly, restored ones too: a ranking signal can
   * afford a wrong guess (measured on vinewsqa-dev without diacritics: recall@1 0.755 folded,
   * 0.762 exact).
   */
  private bestSentenceShare(topical: Topical, article: Article): number {
    if (topical.total === 0) return 0;
    const { title, terms, ends } = this.sentenceTerms.of(article);
    // Per term number, the place + 1 of the topical syllable it is (0: none); flags by place, summed
    // in that order as `shareIn` sums them: the same share, without a set per sentence.
    const weights = [...topical.weights.values()];
    const numbers = [...topical.weights.keys()].map((syllable) => this.sentenceTerms.numberOf(exact(syllable)));
    if (this.placeOf.length < this.sentenceTerms.termCount) this.placeOf = new Int32Array(Math.max(2 * this.placeOf.length, this.sentenceTerms.termCount));
    const placeOf = this.placeOf;
    numbers.forEach((n, i) => {
      if (n >= 0) placeOf[n] = i + 1;
    });
    const held = new Uint8Array(weights.length);
    const share = (from: Int32Array, start: number, end: number) => {
      held.fill(0);
      for (let k = start; k < end; k++) {
        const place = placeOf[from[k]!]!;
        if (place > 0) held[place - 1] = 1;
      }
      let found = 0;
      for (let i = 0; i < weights.length; i++) if (held[i] === 1) found += weights[i]!;
      return found / topical.total;
    };
    let best = share(title, 0, title.length);
    for (let i = 0, start = 0; i < ends.length; start = ends[i]!, i++) best = Math.max(best, share(terms, start, ends[i]!));
    for (const n of numbers) if (n >= 0) placeOf[n] = 0;
    return best;
  }

  /**
   * How well an article covers the question: the idf-weighted share of the question's topical
   * syllables it contains (title or body), and the passage count of the rarest topical syllable it
   * lacks (Infinity when it lacks none). A question about a word the corpus has never seen
   * ("Zorvania", "2031") cannot be answered by it, however common its other words are.
   */
  private evidence(topical: Topical, article: Article): Evidence {
    const key = topical.coverageKey;
    // The tokens of title + "\n" + body are the title's, then the body's: no token holds a line break.
    const present = syllablesOf(article.title, key);
    for (const t of tokenizeRecent(article.body)) present.add(key(t.term));
    let rarestMissingDf = Infinity;
    for (const syllable of topical.weights.keys()) {
      if (!present.has(key(syllable))) rarestMissingDf = Math.min(rarestMissingDf, this.index.vocabulary.documentFrequency(syllable));
    }
    return { coverage: shareIn(topical, present, key), rarestMissingDf };
  }
}

/** How well an article covers the question (see `Retriever.evidence`). */
interface Evidence {
  coverage: number;
  rarestMissingDf: number;
}

/** Best first; ties keep article order. */
const byScore = (x: ScoredChunk, y: ScoredChunk) => y.score - x.score || x.chunk.start - y.chunk.start;

/**
 * Adds a per-article signal (0..1) to every hit's score at `weight`, keeping scores in [0, 1], and
 * re-sorts.
 */
function blend(scored: ScoredChunk[], weight: number, signal: (articleId: string) => number): void {
  for (const hit of scored) hit.score = (hit.score + weight * signal(hit.article.id)) / (1 + weight);
  scored.sort(byScore);
}

type SyllableKey = (syllable: string) => string;
const exact: SyllableKey = (syllable) => syllable;

/** The question's topical syllables with their idf, and how coverage compares them with an article's. */
interface Topical {
  weights: Map<string, number>;
  total: number;
  /**
   * Folds when the question's spellings were restored: "not found" must not fire because a
   * restored spelling was a wrong guess. Identity otherwise.
   */
  coverageKey: SyllableKey;
}

/** The distinct syllables of a text, compared as `key` says. */
function syllablesOf(text: string, key: SyllableKey): Set<string> {
  return new Set(tokenize(text).map((t) => key(t.term)));
}

/** The idf-weighted share (0..1) of the question's topical syllables among `present` (built with the same `key`). */
function shareIn(topical: Topical, present: Set<string>, key: SyllableKey): number {
  if (topical.total === 0) return 0;
  let found = 0;
  for (const [syllable, weight] of topical.weights) if (present.has(key(syllable))) found += weight;
  return found / topical.total;
}

/** The ids of the articles the date and category filters allow, or null when there are no filters. */
function allowedArticles(index: CorpusIndex, options: RetrieveOptions): Set<string> | null {
  const { since, until } = options;
  const category = options.category ? fold(options.category) : null;
  if (!since && !until && !category) return null;
  return new Set(
    index.articles
      .filter((a) => {
        const date = a.publishedAt?.slice(0, 10);
        if ((since || until) && !date) return false;
        if (since && date! < since) return false;
        if (until && date! > until) return false;
        if (category && fold(a.category ?? "") !== category) return false;
        return true;
      })
      .map((a) => a.id),
  );
}

/** Keeps article order by best passage and at most MAX_PER_ARTICLE passages per article. */
function groupByArticle(scored: ScoredChunk[]): ScoredChunk[] {
  const groups = new Map<string, ScoredChunk[]>();
  for (const hit of scored) {
    const group = groups.get(hit.article.id);
    if (!group) groups.set(hit.article.id, [hit]);
    else if (group.length < MAX_PER_ARTICLE) group.push(hit);
  }
  return [...groups.values()].flat();
}

/**
 * Reciprocal rank fusion of the candidates' BM25 and similarity (see `FusionWeights.rank`), both
 * ranked over the same candidates (a candidate without a similarity ranks last by it).
 */
export function rankFusion(candidates: Map<number, { lexical: number; dense: number | null }>, lexical: number, k: number): Map<number, number> {
  const entries = [...candidates];
  const rankBy = (value: (c: { lexical: number; dense: number | null }) => number) =>
    new Map(
      entries
        .map(([position, c]) => ({ position, v: value(c) }))
        .sort((a, b) => b.v - a.v || a.position - b.position)
        .map(({ position }, i) => [position, i + 1]),
    );
  const byLexical = rankBy((c) => c.lexical);
  const byDense = rankBy((c) => c.dense ?? -1);
  const fused = new Map<number, number>();
  for (const [position] of entries) fused.set(position, (k + 1) * (lexical / (k + byLexical.get(position)!) + (1 - lexical) / (k + byDense.get(position)!)));
  return fused;
}

/**
 * Drops a passage whose text nearly repeats one already kept (syndicated copies, overlapping
 * chunks), keeping the better-scored one. Works on the first `limit` survivors only.
 */
function collapse(hits: ScoredChunk[], limit: number, trigramsOf: (key: string, text: () => string) => TrigramSet): ScoredChunk[] {
  // Trigrams numbered over the passages compared (the same verdicts as by their text, cheaper),
  // remembered per passage (`RecentTrigrams`).
  const kept: Array<{ hit: ScoredChunk; trigrams: TrigramSet }> = [];
  for (const hit of hits) {
    if (kept.length >= limit) break;
    const trigrams = trigramsOf(`${hit.article.id}\u0000${hit.chunk.start}\u0000${hit.chunk.end}`, () => chunkText(hit.article, hit.chunk));
    const duplicate = kept.some((k) => k.hit.article.id !== hit.article.id && trigramJaccardAtLeast(k.trigrams, trigrams, NEAR_DUPLICATE));
    if (!duplicate) kept.push({ hit, trigrams });
  }
  return kept.map((k) => k.hit);
}

/** Two passages of different articles sharing this share of their word trigrams are copies. */
const NEAR_DUPLICATE = 0.8;



/**
 * The question's syllables a passage matched (pairs contribute both of their syllables). Built once
 * per question: a question has up to ~300 candidate passages.
 */
function syllableMatcher(query: AnalysedQuery): (terms: string[]) => string[] {
  const wanted = query.syllables;
  const place = new Map(wanted.map((s, i) => [s, i]));
  const foldedToExact = new Map(wanted.map((s) => [fold(s), s]));
  const matched = new TermParts((part) => {
    const s = place.has(part) ? part : foldedToExact.get(part);
    return s === undefined ? -1 : place.get(s)!;
  });
  return (terms) => matched.distinct(terms).map((i) => wanted[i]!);
}
