import { LEAD_BOOST, matchedTerms, PASSAGE_BM25, resolveUnits, type Bm25Params, type LexicalHit, type LexicalIndex, type LexicalPart, type TermQuery } from "./lexical";
import type { PostingsRange } from "./postings-cache";
import { gallop, prunedTopK, SearchScratch, topKAmong, type PostingList, type ScoringUnit } from "./pruned-search";

/** Passage ids [from, to): a share of a search (`SegmentedLexical.search`'s `range`). */
export interface IdRange {
  from: number;
  to: number;
}

/** One segment's lexical index and which of its passages are tombstoned (by local id; null: none). */
export interface LexicalSegment {
  index: LexicalIndex;
  dead: Uint8Array | null;
  /** Its dead passages' share of each term's frequency (`LexicalIndex.deadFrequencies(dead)`); null when none are dead. */
  deadDf: Uint32Array | null;
}

/**
 * BM25 over several segments as if they were one index of their live passages.
 *
 * A passage's id is its segment's base (the passages of the segments before it) plus its local
 * id. The statistics are those of the live set, so a search returns what a fresh build of the same
 * passages returns, with the same scores (up to the order of float32 additions over the spellings
 * of a folded term):
 * - the document count and average length count live passages only,
 * - a term's document frequency is the sum over segments of its postings minus its tombstoned ones
 *   (`deadDf`), and from it the idf and the MaxScore bounds (`prunedTopK` stays exact).
 * Tombstoned passages stay in the postings (segments are immutable) and are never returned.
 */
export class SegmentedLexical {
  private readonly parts: LexicalPart[];
  private readonly lengths: Float32Array;
  private readonly leads: Uint8Array;
  /** 1 for a tombstoned passage, by id; null when none is. */
  private readonly dead: Uint8Array | null;
  /** Live passages. */
  readonly documents: number;
  private readonly averageLength: number;
  private scratch: SearchScratch | null = null;
  /**
   * The scoring units of the last search's queries: a question searches the passages twice with
   * the same terms (`search`, then `searchAmong` for articles found whole), and resolving them looks
   * every term up in every segment and reads its postings.
   */
  private lastUnits: { key: string; units: ScoringUnit[] } | null = null;

  constructor(segments: LexicalSegment[]) {
    const size = segments.reduce((n, s) => n + s.index.size, 0);
    this.lengths = new Float32Array(size);
    this.leads = new Uint8Array(size);
    const anyDead = segments.some((s) => s.dead !== null);
    this.dead = anyDead ? new Uint8Array(size) : null;
    this.parts = [];
    let base = 0;
    let documents = 0;
    let total = 0;
    for (const { index, dead, deadDf } of segments) {
      this.parts.push({ index, base, deadDf });
      this.lengths.set(index.passageLengths, base);
      this.leads.set(index.leadFlags, base);
      if (dead) this.dead!.set(dead, base);
      // Summed in id order over the live passages, as a build sums them: the same float64 result.
      const lengths = index.passageLengths;
      for (let i = 0; i < lengths.length; i++) {
        if (dead?.[i] === 1) continue;
        total += lengths[i]!;
        documents++;
      }
      base += index.size;
    }
    this.documents = documents;
    this.averageLength = total / Math.max(1, documents);
  }

  /** Passages over every segment, live or not: ids are 0 … size − 1. */
  get size(): number {
    return this.lengths.length;
  }

  isDead(id: number): boolean {
    return this.dead?.[id] === 1;
  }

  /** Live passages containing this exact term. */
  documentFrequency(term: string): number {
    let df = 0;
    for (const { index, deadDf } of this.parts) {
      for (const id of index.termIdsOf(term, false)) df += index.documentFrequency(term) - (deadDf ? deadDf[id]! : 0);
    }
    return df;
  }

  /**
   * `LexicalIndex.search` over the live passages of every segment (ids as above); with `range`,
   * over those of its ids only. The best `limit` of the whole are the best `limit` of the hits of
   * ranges that cover it, merged by score then id (`mergeHits`): a passage's score does not depend
   * on the range searched, and one among the best `limit` of all is among those of its range.
   */
  search(queries: TermQuery[], filter?: (id: number) => boolean, limit = 200, params: Bm25Params = PASSAGE_BM25, range?: IdRange): LexicalHit[] {
    const resolved = this.unitsOf(queries, params);
    const units = range ? resolved.map((unit) => ({ ...unit, lists: unit.lists.map((list) => new RangeList(list, range)) })) : resolved;
    this.scratch ??= new SearchScratch(this.size);
    const dead = this.dead;
    const allowed = dead ? (id: number) => dead[id] === 0 && (!filter || filter(id)) : filter;
    const { lengths, averageLength, leads } = this;
    return prunedTopK({ lengths, averageLength, leads, leadBoost: LEAD_BOOST }, units, params, allowed, limit, this.scratch);
  }

  /**
   * `search` confined to the passages `ids` (any order; tombstoned ones are skipped): the same hits,
   * order and scores as `search` with a filter allowing exactly them, at the cost of a lookup per
   * (passage, posting list) instead of a walk of every posting (see `topKAmong`).
   */
  searchAmong(queries: TermQuery[], ids: ArrayLike<number>, limit = 200, params: Bm25Params = PASSAGE_BM25): LexicalHit[] {
    const live = Uint32Array.from(ids).sort().filter((id, i, sorted) => !this.isDead(id) && (i === 0 || sorted[i - 1] !== id));
    const units = this.unitsOf(queries, params);
    const { lengths, averageLength, leads } = this;
    return topKAmong({ lengths, averageLength, leads, leadBoost: LEAD_BOOST }, units, params, live, limit);
  }

  private unitsOf(queries: TermQuery[], params: Bm25Params): ScoringUnit[] {
    const key = JSON.stringify([queries, params.k1]);
    if (this.lastUnits?.key !== key) this.lastUnits = { key, units: resolveUnits(this.parts, this.documents, queries, params) };
    return this.lastUnits.units;
  }

  /**
   * The reference `search` is held to (as `LexicalIndex.searchExhaustive`): every posting of every
   * query term scored, every candidate sorted. For tests and `bench:query -- --compare`.
   */
  searchExhaustive(queries: TermQuery[], filter?: (id: number) => boolean, limit = 200, params: Bm25Params = PASSAGE_BM25): LexicalHit[] {
    const { k1, b } = params;
    const scores = new Float32Array(this.size);
    const touched: number[] = [];
    const units = resolveUnits(this.parts, this.documents, queries, params);
    for (const { lists, weight } of units) {
      for (const list of lists) {
        const { docs, tfs, start, end } = list.all();
        const base = list.base;
        for (let p = start; p < end; p++) {
          const doc = base + docs[p]!;
          const tf = tfs[p]!;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc]! += (weight * tf) / (tf + k1 * (1 - b + (b * this.lengths[doc]!) / this.averageLength));
        }
      }
    }
    const candidates: LexicalHit[] = [];
    for (const doc of touched) {
      if (this.isDead(doc) || (filter && !filter(doc))) continue;
      candidates.push({ id: doc, score: scores[doc]! * (this.leads[doc] === 1 ? LEAD_BOOST : 1), terms: [] });
    }
    candidates.sort((x, y) => y.score - x.score || x.id - y.id);
    const top = candidates.slice(0, limit);
    for (const hit of top) hit.terms = matchedTerms(units, hit.id);
    return top;
  }
}

/** The best `limit` of hits from disjoint ranges (each sorted by score, then id), in that order. */
export function mergeHits(lists: LexicalHit[][], limit: number): LexicalHit[] {
  return lists
    .flat()
    .sort((x, y) => y.score - x.score || x.id - y.id)
    .slice(0, limit);
}

/**
 * A posting list seen through a range of passage ids: walked (`all`), it gives only the postings
 * in the range; looked up (`seek`, …) it is the list itself, as a range's search only looks up
 * passages of the range. Its `length` is the whole list's, which only steers a search's choices.
 */
class RangeList implements PostingList {
  constructor(
    private readonly list: PostingList,
    private readonly range: IdRange,
  ) {}

  get length(): number {
    return this.list.length;
  }

  get base(): number {
    return this.list.base;
  }

  get segmentEnd(): number {
    return this.list.segmentEnd;
  }

  all(): PostingsRange {
    const { docs, tfs, start, end } = this.list.all();
    const from = gallop(docs, start, end, this.range.from - this.list.base);
    return { docs, tfs, start: from, end: gallop(docs, from, end, this.range.to - this.list.base) };
  }

  expect(lookups: number): PostingsRange | null {
    return this.list.expect(lookups);
  }

  seek(from: number, doc: number): number {
    return this.list.seek(from, doc);
  }

  docAt(p: number): number {
    return this.list.docAt(p);
  }

  tfAt(p: number): number {
    return this.list.tfAt(p);
  }
}
