import { fold, indexTerms } from "../text/vietnamese";
import { prunedTopK, SearchScratch, type PostingList, type ScoringUnit } from "./pruned-search";
import { parseObjectInSlices } from "./json-slices";

/** What the lexical index needs of a passage. */
export interface LexicalDocument {
  /** The chunk's position in the store (its HNSW label too); documents come in id order 0, 1, 2… */
  id: number;
  title: string;
  text: string;
  /** 0 for an article's lead passage. */
  ordinal: number;
}

/** One group of query terms (syllables and pairs) matched exactly or accent-folded. */
export interface TermQuery {
  terms: string[];
  /** Match every accented spelling of each (folded) term: "huu" matches hữu, hưu, hữu… */
  folded: boolean;
  /** Multiplies the BM25 score of these terms. */
  boost: number;
}

export interface LexicalHit {
  id: number;
  score: number;
  /** The query terms (as given) that matched. */
  terms: string[];
}

/** BM25F field weight of the title: a title term counts as this many body occurrences. */
export const TITLE_WEIGHT = 2;
/** The lead passage of an article states what it is about: a mild boost. */
export const LEAD_BOOST = 1.15;

/** BM25 saturation (k1) and length normalisation (b). */
export interface Bm25Params {
  k1: number;
  b: number;
}
export const PASSAGE_BM25: Bm25Params = { k1: 1.2, b: 0.75 };
/**
 * Whole articles are normalised for length fully: a long article mentions many things in passing
 * (eval/tune.ts on vinewsqa-dev, b 0.75 → 1.0: recall@1 0.751 → 0.760; k1 0.9-2.0 within ±0.4 pts).
 */
export const ARTICLE_BM25: Bm25Params = { k1: 1.2, b: 1 };

/** The serialised form: a JSON header plus one binary buffer (see `toFiles`). */
export interface LexicalFiles {
  header: string;
  postings: Buffer;
}

interface Header {
  version: 1;
  documents: number;
  averageLength: number;
  terms: string[];
  leads: number[];
}

/**
 * BM25F over NFC syllables and adjacent syllable pairs of each passage and its article's title.
 *
 * Built for this corpus's shape rather than taken off the shelf: a general engine (MiniSearch was
 * the first version) stores a radix tree per field and serialises it as JSON; with pair terms and
 * folded twins that was 83 MB and 20 s to load for 14k passages, and ~200 ms per question. Here
 * postings are typed arrays (docs + weighted tf), the folded match is a union of the postings of a
 * term's accented spellings (no second index), and a question costs a few milliseconds.
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  /** folded term → ids of its accented spellings. */
  private foldedGroups: Map<string, number[]> | null = null;
  private readonly leadSet: Uint8Array;
  /** Score accumulators reused by every search (searches are synchronous: one at a time). */
  private scratch: SearchScratch | null = null;

  private constructor(
    private readonly terms: string[],
    /** Postings of term t: docs/tfs[offsets[t] … offsets[t+1]). */
    private readonly offsets: Uint32Array,
    private readonly docs: Uint32Array,
    /** Weighted term frequency: body tf + TITLE_WEIGHT × title tf. */
    private readonly tfs: Float32Array,
    private readonly lengths: Float32Array,
    private readonly averageLength: number,
    leads: number[],
    /** The term → id map when the caller built it already (`load`, a slice at a time). */
    termIds?: Map<string, number>,
  ) {
    this.termIds = termIds ?? new Map(terms.map((t, i) => [t, i]));
    this.leadSet = new Uint8Array(lengths.length);
    for (const id of leads) this.leadSet[id] = 1;
  }

  /**
   * Builds the index, yielding to the event loop every few hundred passages.
   *
   * Memory: terms are numbered as they first occur, and each (term, passage, tf) is appended to
   * three growable typed arrays (12 bytes), then placed by a counting sort on term. A JS array per
   * term (the first version) held 16-24 bytes per posting plus an object per term, and was the
   * largest part of an ingest's peak. The result is the same: terms in order of first occurrence,
   * each term's passages ascending (they come in id order and the sort is stable).
   */
  static async build(documents: LexicalDocument[]): Promise<LexicalIndex> {
    const termIds = new Map<string, number>();
    const postings = new PostingTriples();
    const lengths = new Float32Array(documents.length);
    const leads: number[] = [];
    const weights = new Map<number, number>(); // this passage's term id → weighted tf
    const add = (terms: string[], weight: number) => {
      for (const term of terms) {
        let id = termIds.get(term);
        if (id === undefined) termIds.set(term, (id = termIds.size));
        weights.set(id, (weights.get(id) ?? 0) + weight);
      }
      return terms.length * weight;
    };
    for (const doc of documents) {
      if (!Number.isInteger(doc.id) || doc.id < 0 || doc.id >= documents.length) {
        throw new RangeError(`document ids must be 0…${documents.length - 1}, got ${doc.id}`);
      }
      weights.clear();
      lengths[doc.id] = add(indexTerms(doc.text), 1) + add(indexTerms(doc.title), TITLE_WEIGHT);
      for (const [term, tf] of weights) postings.push(term, doc.id, tf);
      if (doc.ordinal === 0) leads.push(doc.id);
      if (doc.id % 500 === 499) await yieldToEventLoop();
    }
    const T = termIds.size;
    const offsets = new Uint32Array(T + 1);
    for (let k = 0; k < postings.length; k++) offsets[postings.terms[k]! + 1]!++;
    for (let t = 0; t < T; t++) offsets[t + 1]! += offsets[t]!;
    const docs = new Uint32Array(postings.length);
    const tfs = new Float32Array(postings.length);
    const next = offsets.slice(0, T);
    for (let k = 0; k < postings.length; k++) {
      const at = next[postings.terms[k]!]!++;
      docs[at] = postings.docs[k]!;
      tfs[at] = postings.tfs[k]!;
    }
    const averageLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
    return new LexicalIndex([...termIds.keys()], offsets, docs, tfs, lengths, averageLength, leads);
  }

  /** Header JSON (terms, counts) and one buffer: offsets, docs, tfs, lengths, in that order. */
  toFiles(): LexicalFiles {
    const header: Header = {
      version: 1,
      documents: this.lengths.length,
      averageLength: this.averageLength,
      terms: this.terms,
      leads: [...this.leadSet.keys()].filter((i) => this.leadSet[i] === 1),
    };
    const parts = [this.offsets, this.docs, this.tfs, this.lengths];
    return { header: JSON.stringify(header), postings: Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))) };
  }

  static fromFiles(files: LexicalFiles): LexicalIndex {
    return LexicalIndex.fromHeader(JSON.parse(files.header) as Header, files.postings);
  }

  /**
   * `fromFiles` for the thread that answers readers: the term dictionary (300,000+ terms at 2,653
   * articles, 0.8 s to parse and map in one go) is parsed and mapped a slice at a time, yielding to
   * the event loop in between (see json-slices.ts).
   */
  static async load(files: LexicalFiles): Promise<LexicalIndex> {
    const terms: string[] = [];
    const termIds = new Map<string, number>();
    const header = (await parseObjectInSlices(files.header, ["terms"], (_key, slice) => {
      for (const term of slice as string[]) {
        termIds.set(term, terms.length);
        terms.push(term);
      }
    })) as unknown as Header;
    header.terms = terms;
    const index = LexicalIndex.fromHeader(header, files.postings, termIds);
    // The folded groups too, here rather than on first use: built lazily, the first question
    // after every swap waited for a pass over the whole dictionary (1.7-2.6 s at 2,653 articles).
    index.foldedGroups = await groupByFolded(terms);
    return index;
  }

  private static fromHeader(header: Header, postings: Buffer, termIds?: Map<string, number>): LexicalIndex {
    if (header.version !== 1) throw new Error(`lexical index version ${header.version} is not supported`);
    // Copy into an aligned buffer: a Buffer read from disk may start at any byte offset.
    const bytes = new Uint8Array(postings.byteLength);
    bytes.set(postings);
    const T = header.terms.length;
    const N = header.documents;
    const offsets = new Uint32Array(bytes.buffer, 0, T + 1);
    const P = offsets[T]!;
    let at = (T + 1) * 4;
    const docs = new Uint32Array(bytes.buffer, at, P);
    at += P * 4;
    const tfs = new Float32Array(bytes.buffer, at, P);
    at += P * 4;
    const lengths = new Float32Array(bytes.buffer, at, N);
    return new LexicalIndex(header.terms, offsets, docs, tfs, lengths, header.averageLength, header.leads, termIds);
  }

  /** The term of an id. */
  termAt(id: number): string {
    return this.terms[id]!;
  }

  /** Passages containing this exact term (0 when unknown). */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /**
   * BM25F scores of the passages matching any term; within a group a passage's score is the sum
   * over matched terms. A folded term scores the union of its spellings' postings as one term.
   * `filter` sees the passage id and decides whether it may be returned. The best `limit`, best first
   * (ties by id). Boosts must be positive.
   *
   * The same hits, in the same order, with the same scores (bit for bit) as {@link searchExhaustive};
   * see `pruned-search.ts` for how it avoids scoring every posting of very common syllables.
   */
  search(queries: TermQuery[], filter?: (id: number) => boolean, limit = 200, params: Bm25Params = PASSAGE_BM25): LexicalHit[] {
    const units = resolveUnits([{ index: this, base: 0, deadDf: null }], this.lengths.length, queries, params);
    this.scratch ??= new SearchScratch(this.lengths.length);
    const { lengths, averageLength } = this;
    return prunedTopK({ lengths, averageLength, leads: this.leadSet, leadBoost: LEAD_BOOST }, units, params, filter, limit, this.scratch);
  }

  /** Postings of the last `search`'s terms, and how many of them it walked whole (for tests and benchmarks). */
  get lastSearch(): { postings: number; walked: number } {
    return { ...(this.scratch?.last ?? { postings: 0, walked: 0 }) };
  }

  /**
   * The reference: scores every posting of every query term, then sorts every candidate. Kept to
   * test {@link search} against (same ids, same scores) and to benchmark it (`bench:query -- --compare`).
   */
  searchExhaustive(queries: TermQuery[], filter?: (id: number) => boolean, limit = 200, params: Bm25Params = PASSAGE_BM25): LexicalHit[] {
    const { k1, b } = params;
    const N = this.lengths.length;
    const scores = new Float32Array(N);
    const touched: number[] = [];
    const units = resolveUnits([{ index: this, base: 0, deadDf: null }], N, queries, params);
    for (const { lists, weight } of units) {
      for (const { start, end } of lists) {
        for (let p = start; p < end; p++) {
          const doc = this.docs[p]!;
          const tf = this.tfs[p]!;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc]! += (weight * tf) / (tf + k1 * (1 - b + (b * this.lengths[doc]!) / this.averageLength));
        }
      }
    }
    const candidates: LexicalHit[] = [];
    for (const doc of touched) {
      if (filter && !filter(doc)) continue;
      candidates.push({ id: doc, score: scores[doc]! * (this.leadSet[doc] === 1 ? LEAD_BOOST : 1), terms: [] });
    }
    candidates.sort((a, b) => b.score - a.score || a.id - b.id);
    const top = candidates.slice(0, limit);
    for (const hit of top) hit.terms = matchedTerms(units, hit.id);
    return top;
  }

  /** Passages in this index (live or not). */
  get size(): number {
    return this.lengths.length;
  }

  /** Weighted length of each passage, by id (shared, not copied: do not write). */
  get passageLengths(): Float32Array {
    return this.lengths;
  }

  /** 1 for each lead passage, by id (shared, not copied: do not write). */
  get leadFlags(): Uint8Array {
    return this.leadSet;
  }

  /** The ids of the indexed terms a query term stands for: itself, or every spelling of a folded one. */
  termIdsOf(term: string, folded: boolean): number[] {
    if (folded) return this.spellingsOf(term);
    const id = this.termIds.get(term);
    return id === undefined ? [] : [id];
  }

  /** The postings of one term id, with the ids of this index shifted by `base`. */
  postingList(termId: number, base: number): PostingList {
    return { docs: this.docs, tfs: this.tfs, start: this.offsets[termId]!, end: this.offsets[termId + 1]!, base };
  }

  /**
   * For each term id, how many of the passages flagged in `dead` hold it: what the live document
   * frequencies subtract (tombstoned passages stay in the postings of an immutable segment). One
   * pass over every posting, yielding to the event loop every few million.
   */
  async deadFrequencies(dead: Uint8Array): Promise<Uint32Array> {
    const counts = new Uint32Array(this.terms.length);
    const T = this.terms.length;
    for (let t = 0, walked = 0; t < T; t++) {
      let n = 0;
      for (let p = this.offsets[t]!, end = this.offsets[t + 1]!; p < end; p++) n += dead[this.docs[p]!]!;
      counts[t] = n;
      walked += this.offsets[t + 1]! - this.offsets[t]!;
      if (walked > 4_000_000) {
        walked = 0;
        await yieldToEventLoop();
      }
    }
    return counts;
  }

  /** Ids of the indexed terms whose folded form is `folded`. */
  private spellingsOf(folded: string): number[] {
    // Built on first use (a fresh build) or by `load`: one pass over the dictionary, then every
    // folded lookup is O(1).
    this.foldedGroups ??= groupByFoldedNow(this.terms);
    return this.foldedGroups.get(folded) ?? [];
  }
}

/** One segment's index as `resolveUnits` reads it: its ids start at `base`; `deadDf` is its tombstoned passages' share of each term's frequency. */
export interface LexicalPart {
  index: LexicalIndex;
  base: number;
  deadDf: Uint32Array | null;
}

/**
 * Each distinct (group, term) of the queries, with the postings it unions over every part and its
 * BM25 weight (boost × idf × (k1 + 1)). The idf is that of the live passages: `documents` counts
 * them, and a term's frequency is the sum over parts of its postings minus their dead ones, so a
 * version made of several segments weighs terms exactly as one segment of the same passages would.
 */
export function resolveUnits(parts: LexicalPart[], documents: number, queries: TermQuery[], { k1 }: Bm25Params): ScoringUnit[] {
  const N = documents;
  const units: ScoringUnit[] = [];
  for (const query of queries) {
    for (const term of new Set(query.terms)) {
      const lists: PostingList[] = [];
      const spellings = new Set<string>();
      let df = 0;
      for (const { index, base, deadDf } of parts) {
        for (const id of index.termIdsOf(term, query.folded)) {
          const list = index.postingList(id, base);
          if (list.end === list.start) continue;
          lists.push(list);
          spellings.add(index.termAt(id));
          df += list.end - list.start - (deadDf ? deadDf[id]! : 0);
        }
      }
      // A term whose every passage is tombstoned is not in the live set: no unit, as in a rebuild.
      if (lists.length === 0 || df <= 0) continue;
      df = Math.min(N, df);
      units.push({ term, lists, spellings: spellings.size, weight: query.boost * Math.log(1 + (N - df + 0.5) / (df + 0.5)) * (k1 + 1) });
    }
  }
  return units;
}

/**
 * Which query terms (as given) a returned passage matched: needed for the few passages returned
 * only; postings are sorted by passage id, so a binary search per (passage, term) answers it.
 */
export function matchedTerms(units: ScoringUnit[], doc: number): string[] {
  const terms: string[] = [];
  for (const { term, lists } of units) {
    if (lists.some((list) => contains(list, doc))) terms.push(term);
  }
  return terms;
}

function contains({ docs, start, end, base }: PostingList, doc: number): boolean {
  let lo = start;
  let hi = end - 1;
  const local = doc - base;
  if (local < 0) return false;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = docs[mid]!;
    if (d === local) return true;
    if (d < local) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** folded term → ids of its spellings. */
function groupByFoldedNow(terms: string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  addFolded(groups, terms, 0, terms.length);
  return groups;
}

/** `groupByFoldedNow`, yielding to the event loop every 5,000 terms. */
async function groupByFolded(terms: string[]): Promise<Map<string, number[]>> {
  const groups = new Map<string, number[]>();
  for (let from = 0; from < terms.length; from += 5_000) {
    addFolded(groups, terms, from, Math.min(terms.length, from + 5_000));
    await yieldToEventLoop();
  }
  return groups;
}

function addFolded(groups: Map<string, number[]>, terms: string[], from: number, to: number): void {
  for (let id = from; id < to; id++) {
    const key = fold(terms[id]!);
    const group = groups.get(key);
    if (group) group.push(id);
    else groups.set(key, [id]);
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** (term id, passage, tf) triples in typed arrays that double when full. */
class PostingTriples {
  terms = new Uint32Array(1 << 16);
  docs = new Uint32Array(1 << 16);
  tfs = new Float32Array(1 << 16);
  length = 0;

  push(term: number, doc: number, tf: number): void {
    if (this.length === this.terms.length) {
      const size = this.length * 2;
      const [terms, docs, tfs] = [new Uint32Array(size), new Uint32Array(size), new Float32Array(size)];
      terms.set(this.terms);
      docs.set(this.docs);
      tfs.set(this.tfs);
      [this.terms, this.docs, this.tfs] = [terms, docs, tfs];
    }
    this.terms[this.length] = term;
    this.docs[this.length] = doc;
    this.tfs[this.length++] = tf;
  }
}
