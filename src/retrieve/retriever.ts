import type { Article, Embedder, ScoredChunk } from "../domain/types";
import type { CorpusIndex } from "../store";
import { isStopword } from "../text/stopwords";
import { fold, PAIR_JOINER } from "../text/vietnamese";
import { analyseQuery, type AnalysedQuery } from "./query";

export interface RetrieveOptions {
  /** Passages to return (after grouping and de-duplication). */
  limit?: number;
  /** Inclusive ISO dates (`YYYY-MM-DD`); articles without a date are excluded when set. */
  since?: string;
  until?: string;
  /** Only articles of this category (case- and accent-insensitive). */
  category?: string;
}

export interface Retrieval {
  query: AnalysedQuery;
  /** Best first; at most `maxPerArticle` passages of one article, articles ordered by their best passage. */
  hits: ScoredChunk[];
  /** Share (0..1, idf-weighted) of the question's syllables found in the best article. */
  coverage: number;
  /** Cosine similarity of the best passage, when dense retrieval is on. */
  bestDense: number | null;
  /** True when the evidence is below the calibrated threshold: answer "not found". */
  notFound: boolean;
}

export interface FusionWeights {
  /** Weight of the normalised BM25 score; the dense cosine gets `1 - lexical`. */
  lexical: number;
}

/**
 * Calibrated with `npm run eval` on the dev sets (see README, "Quality"): below this share of the
 * question's informative syllables, the corpus does not hold the answer.
 */
export const DEFAULT_MIN_COVERAGE = 0.55;
/** With dense vectors on, a passage this close to the question is evidence on its own. */
export const DEFAULT_MIN_DENSE = 0.85;
export const DEFAULT_FUSION: FusionWeights = { lexical: 0.7 };

const LEXICAL_CANDIDATES = 200;
const DENSE_CANDIDATES = 60;
const MAX_PER_ARTICLE = 3;

export interface RetrieverSettings {
  fusion?: FusionWeights;
  minCoverage?: number;
  minDense?: number;
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

  constructor(
    private readonly index: CorpusIndex,
    private readonly embedder: Embedder | null,
    settings: RetrieverSettings = {},
  ) {
    this.fusion = settings.fusion ?? DEFAULT_FUSION;
    this.minCoverage = settings.minCoverage ?? DEFAULT_MIN_COVERAGE;
    this.minDense = settings.minDense ?? DEFAULT_MIN_DENSE;
  }

  /** Dense retrieval is on when the index has vectors and a model of the same kind is loaded. */
  get denseOn(): boolean {
    return this.embedder !== null && this.index.hasVectors;
  }

  async retrieve(question: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    const index = this.index;
    const query = analyseQuery(question, index.vocabulary);
    const filter = makeFilter(index, options);

    const lexicalHits = index.searchLexical(query.termQueries, filter).slice(0, LEXICAL_CANDIDATES);
    const topLexical = lexicalHits[0]?.score ?? 0;
    const candidates = new Map<number, { lexical: number; dense: number | null; terms: string[] }>();
    for (const hit of lexicalHits) {
      candidates.set(hit.id, { lexical: topLexical > 0 ? hit.score / topLexical : 0, dense: null, terms: hit.terms });
    }

    let bestDense: number | null = null;
    if (this.denseOn && query.syllables.length > 0) {
      const vector = await this.embedder!.embedQuery(query.text);
      for (const hit of index.searchVector(vector, DENSE_CANDIDATES, filter)) {
        const cosine = 1 - hit.distance;
        bestDense = Math.max(bestDense ?? -1, cosine);
        const existing = candidates.get(hit.id);
        if (existing) existing.dense = cosine;
        else candidates.set(hit.id, { lexical: 0, dense: cosine, terms: [] });
      }
    }

    const w = this.denseOn ? this.fusion.lexical : 1;
    const scored: ScoredChunk[] = [];
    for (const [position, c] of candidates) {
      const chunk = index.chunk(position);
      const article = index.article(chunk.articleId)!;
      const score = w * c.lexical + (1 - w) * Math.max(0, c.dense ?? 0);
      scored.push({ chunk, article, score, lexical: c.lexical, dense: c.dense, matchedTerms: matchedSyllables(c.terms, query) });
    }
    scored.sort((a, b) => b.score - a.score);

    const hits = collapse(groupByArticle(scored), options.limit ?? 10);
    const coverage = hits[0] ? this.coverage(query, hits[0].article) : 0;
    const denseEvidence = bestDense !== null && bestDense >= this.minDense;
    return { query, hits, coverage, bestDense, notFound: hits.length === 0 || (coverage < this.minCoverage && !denseEvidence) };
  }

  /** Idf-weighted share of the question's topical syllables that occur in the article (title or body). */
  coverage(query: AnalysedQuery, article: Article): number {
    const present = new Set(
      `${article.title}\n${article.body}`
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu)
        ?.flatMap((s) => (query.unaccented ? [s, fold(s)] : [s])) ?? [],
    );
    let total = 0;
    let found = 0;
    const topical = query.syllables.filter((s) => !isStopword(s, query.unaccented));
    for (const syllable of topical.length > 0 ? topical : query.syllables) {
      const weight = this.index.vocabulary.idf(syllable);
      total += weight;
      if (present.has(syllable) || (query.unaccented && present.has(fold(syllable)))) found += weight;
    }
    return total > 0 ? found / total : 0;
  }
}

function makeFilter(index: CorpusIndex, options: RetrieveOptions): ((position: number) => boolean) | undefined {
  const { since, until } = options;
  const category = options.category ? fold(options.category) : null;
  if (!since && !until && !category) return undefined;
  const allowed = new Set(
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
  return (position) => allowed.has(index.chunk(position).articleId);
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
 * Drops a passage whose text nearly repeats one already kept (syndicated copies, overlapping
 * chunks), keeping the better-scored one. Works on the first `limit` survivors only.
 */
function collapse(hits: ScoredChunk[], limit: number): ScoredChunk[] {
  const kept: Array<{ hit: ScoredChunk; shingles: Set<string> }> = [];
  for (const hit of hits) {
    if (kept.length >= limit) break;
    const text = hit.article.body.slice(hit.chunk.start, hit.chunk.end);
    const shingles = shingle(text);
    const duplicate = kept.some(
      (k) => k.hit.article.id !== hit.article.id && jaccard(k.shingles, shingles) >= 0.8,
    );
    if (!duplicate) kept.push({ hit, shingles });
  }
  return kept.map((k) => k.hit);
}

function shingle(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const set = new Set<string>();
  for (let i = 2; i < words.length; i++) set.add(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** The question's syllables a passage matched (pairs contribute both of their syllables). */
function matchedSyllables(terms: string[], query: AnalysedQuery): string[] {
  const wanted = new Set(query.syllables);
  const foldedToExact = new Map(query.syllables.map((s) => [fold(s), s]));
  const out = new Set<string>();
  for (const term of terms) {
    for (const part of term.split(PAIR_JOINER)) {
      if (wanted.has(part)) out.add(part);
      else if (foldedToExact.has(part)) out.add(foldedToExact.get(part)!);
    }
  }
  return [...out];
}
