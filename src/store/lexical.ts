import fs from "node:fs/promises";
import { IndexError } from "../domain/errors";
import { allocateSections, headerBytes, OpenFile, readSectionsAt, sectionsEqual, sectionTable, viewSection, type Section } from "./binary-file";
import { sharedPostingsCache, type PostingsCache } from "./postings-cache";
import { FilePostings, MemoryPostings, type PostingsSource } from "./postings-source";
import { prunedTopK, SearchScratch, type PostingList, type ScoringUnit } from "./pruned-search";
import { LEXICAL_FILE, LexicalBuilder, LEXICAL_SECTIONS } from "./lexical-builder";
import { SortedTerms } from "./sorted-terms";
import { TermIds } from "./term-ids";

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

const { magic: MAGIC, version: FILE_VERSION } = LEXICAL_FILE;
/** Its sections, in order (see `LexicalBuilder.write`). */
const SECTIONS = LEXICAL_SECTIONS;
/** The sections of the term dictionary and the folded table: what a segment's two indexes may share (`read`). */
const DICTIONARY_SECTIONS = [1, 2, 3, 4, 5, 6];
/** The postings' sections (passage ids, tfs): the last two, which an index read from disk leaves in the file. */
const POSTINGS_SECTIONS = 2;

/** How an index file is read (`LexicalIndex.read`). */
export interface LexicalReadOptions {
  /** What is kept of the postings read from the file (the shared cache by default). */
  cache?: PostingsCache;
  /**
   * An index already loaded whose dictionary sections are used in place of this file's wherever
   * they hold the same bytes (compared at load), instead of a second copy: a segment's article
   * index and its passage index index the same text, so they usually have the same terms.
   */
  twin?: LexicalIndex;
}

/**
 * BM25F over NFC syllables and adjacent syllable pairs of each passage and its article's title.
 *
 * Built for this corpus's shape rather than taken off the shelf: a general engine (MiniSearch was
 * the first version) stores a radix tree per field and serialises it as JSON; with pair terms and
 * folded twins that was 83 MB and 20 s to load for 14k passages, and ~200 ms per question. Here
 * postings are typed arrays (docs + weighted tf), the folded match is a union of the postings of a
 * term's accented spellings (no second index), and a question costs a few milliseconds.
 *
 * The index is its file: typed-array sections (see `build` for the list) viewed in place. The
 * term dictionary is sorted (`SortedTerms`: a term's id is its rank), and so is the table of folded
 * forms, each with the ids of its spellings: a query term costs a binary search, and a load costs
 * no work per term (format 4 parsed two JSON dictionaries of ~300,000 terms per segment and
 * grouped them by folded form). A built index holds the whole file in one buffer; an index read
 * from disk holds every section but the postings (its first bytes: the postings come last), and
 * reads a term's postings when a search asks for them (`FilePostings`, through a bounded cache).
 * Read with a `twin`, it holds only the sections that differ from the twin's, and views the twin's
 * for the others.
 */
export class LexicalIndex {
  private readonly terms: SortedTerms;
  /** Folded forms, sorted; the spellings of folded form f are `foldedMembers[foldedStarts[f] … foldedStarts[f+1])`. */
  private readonly folded: SortedTerms;
  private readonly foldedStarts: Uint32Array;
  private readonly foldedMembers: Uint32Array;
  /** Postings of term t: docs/tfs[offsets[t] … offsets[t+1]). */
  private readonly offsets: Uint32Array;
  /** Passage ids and weighted term frequencies (body tf + TITLE_WEIGHT × title tf), by posting. */
  private readonly postings: PostingsSource;
  private readonly lengths: Float32Array;
  private readonly leadSet: Uint8Array;
  private readonly averageLength: number;
  /** Score accumulators reused by every search (searches are synchronous: one at a time). */
  private scratch: SearchScratch | null = null;
  /** The views of the file's sections, by number: all of them in a built index, all but the postings in one read from disk. */
  private readonly sections: readonly Section[];
  /** The whole file, in a built index (null in one read from disk). */
  private readonly file: ArrayBuffer | null;

  /**
   * @param sections views of the file's sections, by number (see `build`)
   * @param postings where the postings are read from: null when `sections` hold them (a built index)
   * @param file the whole file, in a built index
   * @param twin an index some of whose section views `sections` hold: the dictionaries over them are shared too
   */
  private constructor({ sections, postings, file = null, twin = null }: { sections: readonly Section[]; postings: PostingsSource | null; file?: ArrayBuffer | null; twin?: LexicalIndex | null }) {
    this.sections = sections;
    this.file = file;
    const same = (...numbers: number[]) => twin !== null && numbers.every((i) => sections[i] === twin.sections[i]);
    this.averageLength = sections[0]![0]!;
    // The same views make the same dictionary: the twin's, with the lookups it remembers.
    this.terms = same(1, 2) ? twin!.terms : new SortedTerms(sections[1] as Uint8Array, sections[2] as Uint32Array);
    this.folded = same(3, 4) ? twin!.folded : new SortedTerms(sections[3] as Uint8Array, sections[4] as Uint32Array);
    this.foldedStarts = sections[5] as Uint32Array;
    this.foldedMembers = sections[6] as Uint32Array;
    this.offsets = sections[7] as Uint32Array;
    this.lengths = sections[8] as Float32Array;
    this.leadSet = sections[9] as Uint8Array;
    this.postings = postings ?? new MemoryPostings(sections[10] as Uint32Array, sections[11] as Float32Array);
  }

  /**
   * Builds the index of these documents (tokenised here), yielding to the event loop every few
   * hundred. A segment's build tokenises its articles once for both its indexes instead
   * (`builder`, `buildSegment`).
   */
  static async build(documents: LexicalDocument[]): Promise<LexicalIndex> {
    const terms = new TermIds();
    const builder = LexicalIndex.builder(terms, documents.length);
    for (const [i, doc] of documents.entries()) {
      builder.add(doc.id, doc.ordinal, terms.tokenise(doc.text).run, terms.tokenise(doc.title).run);
      if (i % 500 === 499) await yieldToEventLoop();
    }
    return LexicalIndex.fromBuilder(builder);
  }

  /** A builder of an index of `documents` documents whose terms are ids of `terms` (see `LexicalBuilder`). */
  static builder(terms: TermIds, documents: number): LexicalBuilder {
    return new LexicalBuilder(terms, documents, TITLE_WEIGHT);
  }

  /** The index a builder built: its file, written into one buffer and viewed in place. */
  static fromBuilder(builder: LexicalBuilder): LexicalIndex {
    const buffer = builder.write((lengths) => allocateSections(MAGIC, FILE_VERSION, SECTIONS.map((kind, i) => ({ kind, length: lengths[i]! }))));
    return LexicalIndex.fromBuffer(buffer, "a built lexical index");
  }

  /** The index's file, byte for byte (a view, not a copy), when it is all in memory (a built index). */
  get bytes(): Uint8Array {
    if (!this.file) throw new Error("an index read from disk is not written again: its file is linked");
    return new Uint8Array(this.file);
  }

  /** An index from its whole file's bytes (in a buffer of its own: `readAligned`), viewed in place. */
  static fromBuffer(buffer: ArrayBuffer, name: string): LexicalIndex {
    const sections = sectionTable(buffer, MAGIC, FILE_VERSION, [...SECTIONS], name).map((entry) => viewSection(buffer, entry, name));
    return new LexicalIndex({ sections, postings: null, file: buffer });
  }

  /**
   * Reads an index file but its postings: the section table, then every section up to the
   * postings in one buffer (one read), and the file kept open to read a term's postings when asked
   * (`FilePostings`; `cache` bounds what is kept of them).
   *
   * With a `twin`, each dictionary section (terms, folded forms, their spellings) is first
   * compared with the twin's, a mebibyte at a time, and where the bytes are the same the twin's
   * view is used and nothing is kept: the buffer holds the sections that differ, the average
   * length, the postings offsets, the lengths and the lead flags (one read per run of adjacent
   * sections). A dictionary is never assumed the same: one wrong term id would silently score
   * the wrong postings.
   * @example
   *   const passages = await LexicalIndex.read("s-…/lexical.bin");
   *   const articles = await LexicalIndex.read("s-…/articles-lexical.bin", { twin: passages });
   */
  static async read(file: string, { cache = sharedPostingsCache, twin }: LexicalReadOptions = {}): Promise<LexicalIndex> {
    const handle = await fs.open(file, "r");
    try {
      const header = new Uint8Array(headerBytes(SECTIONS.length));
      const { bytesRead } = await handle.read(header, 0, header.length, 0);
      const table = sectionTable(header.buffer.slice(0, bytesRead), MAGIC, FILE_VERSION, [...SECTIONS], file);
      const [docs, tfs] = [table[10]!, table[11]!];
      const open = OpenFile.open(file);
      if (tfs.offset + tfs.byteLength > open.size) throw new IndexError(`${file} is not a readable index file (cut short)`);
      const sections: Section[] = [];
      if (twin) {
        const pairs = DICTIONARY_SECTIONS.map((i) => ({ entry: table[i]!, section: twin.sections[i]! }));
        const equal = await sectionsEqual(handle, pairs, file);
        DICTIONARY_SECTIONS.forEach((i, k) => {
          if (equal[k]) sections[i] = pairs[k]!.section;
        });
      }
      const own = table.slice(0, -POSTINGS_SECTIONS).flatMap((entry, i) => (sections[i] ? [] : [{ entry, i }]));
      const read = await readSectionsAt(handle, own.map(({ entry }) => entry), file);
      own.forEach(({ i }, k) => (sections[i] = read[k]!));
      return new LexicalIndex({ sections, postings: new FilePostings(open, docs.offset, tfs.offset, docs.length, cache), twin: twin ?? null });
    } finally {
      await handle.close();
    }
  }

  /**
   * Which parts of this index's dictionary are `other`'s own memory, not a copy (see `read`'s
   * `twin`): the terms, the folded forms (with where each one's spellings start) and the list of
   * spellings. For tests and benchmarks.
   */
  sharedWith(other: LexicalIndex): { terms: boolean; folded: boolean; spellings: boolean } {
    const same = (...numbers: number[]) => numbers.every((i) => this.sections[i] === other.sections[i]);
    return { terms: same(1, 2), folded: same(3, 4, 5), spellings: same(6) };
  }

  /** The term of an id. */
  termAt(id: number): string {
    return this.terms.at(id);
  }

  /** Passages containing this exact term (0 when unknown). */
  documentFrequency(term: string): number {
    const id = this.terms.find(term);
    return id < 0 ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
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
      for (const list of lists) {
        const { docs, tfs, start, end } = list.all();
        for (let p = start; p < end; p++) {
          const doc = docs[p]!;
          const tf = tfs[p]!;
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
  termIdsOf(term: string, folded: boolean): ArrayLike<number> & Iterable<number> {
    if (folded) {
      const f = this.folded.find(term);
      return f < 0 ? [] : this.foldedMembers.subarray(this.foldedStarts[f]!, this.foldedStarts[f + 1]!);
    }
    const id = this.terms.find(term);
    return id < 0 ? [] : [id];
  }

  /**
   * The postings of one term id, with the ids of this index shifted by `base`: nothing is read
   * until a search walks the list or looks passages up in it.
   */
  postingList(termId: number, base: number): PostingList {
    return this.postings.list(this.offsets[termId]!, this.offsets[termId + 1]!, base, base + this.size);
  }

  /**
   * For each term id, how many of the passages flagged in `dead` hold it: what the live document
   * frequencies subtract (tombstoned passages stay in the postings of an immutable segment). One
   * pass over every posting, yielding to the event loop every few million.
   */
  async deadFrequencies(dead: Uint8Array): Promise<Uint32Array> {
    const T = this.terms.size;
    const counts = new Uint32Array(T);
    // The terms in batches of about four million postings, each batch's passage ids read at once.
    for (let from = 0; from < T; ) {
      let to = from + 1;
      while (to < T && this.offsets[to + 1]! - this.offsets[from]! <= 4_000_000) to++;
      const first = this.offsets[from]!;
      const docs = this.postings.docsBetween(first, this.offsets[to]!);
      for (let t = from; t < to; t++) {
        let n = 0;
        for (let p = this.offsets[t]! - first, end = this.offsets[t + 1]! - first; p < end; p++) n += dead[docs[p]!]!;
        counts[t] = n;
      }
      from = to;
      await yieldToEventLoop();
    }
    return counts;
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
      let perPassage = 0;
      let df = 0;
      for (const { index, base, deadDf } of parts) {
        let inPart = 0;
        for (const id of index.termIdsOf(term, query.folded)) {
          const list = index.postingList(id, base);
          if (list.length === 0) continue;
          lists.push(list);
          inPart++;
          df += list.length - (deadDf ? deadDf[id]! : 0);
        }
        perPassage = Math.max(perPassage, inPart);
      }
      // A term whose every passage is tombstoned is not in the live set: no unit, as in a rebuild.
      if (lists.length === 0 || df <= 0) continue;
      df = Math.min(N, df);
      units.push({ term, lists, perPassage, weight: query.boost * Math.log(1 + (N - df + 0.5) / (df + 0.5)) * (k1 + 1) });
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

function contains(list: PostingList, doc: number): boolean {
  const { docs, start, end } = list.all();
  let lo = start;
  let hi = end - 1;
  const local = doc - list.base;
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

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
