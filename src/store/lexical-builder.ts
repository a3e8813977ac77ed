import type { Section, SectionKind } from "./binary-file";
import { GrowableArray } from "./growable-array";
import { SortedTerms } from "./sorted-terms";
import type { TermIds, TermRun } from "./term-ids";

/** Makes a lexical index file's buffer with sections of these lengths (`LexicalIndex.fromBuilder` knows the layout). */
export type AllocateSections = (lengths: number[]) => { buffer: ArrayBuffer; sections: Section[] };

/** The lexical index file (`binary-file.ts`): its magic and the version of its layout. */
export const LEXICAL_FILE = { magic: "NQLEXIDX", version: 1 } as const;

/** The kinds of a lexical index file's sections, in order (see `LexicalBuilder.write`). */
export const LEXICAL_SECTIONS: readonly SectionKind[] = ["f64", "u8", "u32", "u8", "u32", "u32", "u32", "u32", "f32", "u8", "u32", "f32"];

/**
 * Builds one lexical index (BM25F over passages or whole articles) from documents given as term
 * runs (`TermIds`): adding a document costs a typed-array lookup per term occurrence, not a `Map`
 * lookup by string, and its text is not tokenised again (a segment tokenises each article once
 * for both its indexes and its vocabulary: `buildSegment`).
 *
 * Memory: the index numbers its own terms in order of first occurrence (the order of a folded
 * form's spellings in the file); each document's (term, weighted tf) postings are appended to two
 * block-grown typed arrays (8 bytes a posting, nothing copied as they grow; the document is noted
 * once, with where its postings start), then placed by a counting sort on the term's rank straight
 * into the file buffer. (The first builder kept a JS array per term, 16-24 bytes a posting and an
 * object per term; the next, 12 bytes a posting in arrays that doubled, with a `Map` from each
 * term's text to its id.) Each term's documents come out in the order they were added (the sort is
 * stable): ascending when added in id order. The byte order of the terms and of their folded forms
 * is sorted once for all the indexes over one `TermIds` (`TermIds.order`).
 *
 * @example
 *   const builder = LexicalIndex.builder(terms, 2);
 *   builder.add(0, 0, terms.tokenise("mưa to").run, terms.tokenise("Mưa").run);
 *   builder.add(1, 1, terms.tokenise("nắng").run, terms.tokenise("Mưa").run);
 *   const index = LexicalIndex.fromBuilder(builder);
 */
export class LexicalBuilder {
  /** Per id of `terms`: this index's own term id (−1: not seen yet). */
  private localOf = new Int32Array(0);
  /** Per own term id: its id in `terms`. */
  private readonly firstSeen = new GrowableArray(Int32Array);
  /** Per own term id: its weighted tf in the document being added (0 when absent). */
  private weights = new Float64Array(1024);
  /** The own term ids of the document being added, in order of first occurrence. */
  private readonly touched: number[] = [];
  private readonly postingTerms = new GrowableArray(Uint32Array);
  private readonly postingTfs = new GrowableArray(Float32Array);
  /** The documents in the order added, and where each one's postings start. */
  private readonly documentOrder: number[] = [];
  private readonly documentStarts: number[] = [];
  private readonly lengths: Float32Array;
  private readonly leads: Uint8Array;

  /**
   * @param terms the ids of the runs given to `add`
   * @param documents how many documents the index will hold: ids 0 … documents − 1
   * @param titleWeight how many body occurrences a title occurrence counts as
   */
  constructor(
    private readonly terms: TermIds,
    private readonly documents: number,
    private readonly titleWeight: number,
  ) {
    this.lengths = new Float32Array(documents);
    this.leads = new Uint8Array(documents);
  }

  /**
   * Adds a document: its body's terms count once, its title's `titleWeight` times; its length is
   * that weighted count of terms. `ordinal` 0 flags an article's lead passage.
   */
  add(id: number, ordinal: number, body: TermRun, title: TermRun): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.documents) {
      throw new RangeError(`document ids must be 0…${this.documents - 1}, got ${id}`);
    }
    this.documentOrder.push(id);
    this.documentStarts.push(this.postingTerms.length);
    this.lengths[id] = this.addRun(body, 1) + this.addRun(title, this.titleWeight);
    for (const local of this.touched) {
      this.postingTerms.push(local);
      this.postingTfs.push(this.weights[local]!);
      this.weights[local] = 0;
    }
    this.touched.length = 0;
    if (ordinal === 0) this.leads[id] = 1;
  }

  /** Adds a run's syllables, then its pairs (`indexTerms`' order); returns its weighted term count. */
  private addRun({ syllables, pairs }: TermRun, weight: number): number {
    let n = syllables.length;
    for (let i = 0; i < syllables.length; i++) this.touch(syllables[i]!, weight);
    for (let i = 1; i < pairs.length; i++) {
      const pair = pairs[i]!;
      if (pair < 0) continue;
      this.touch(pair, weight);
      n++;
    }
    return n * weight;
  }

  private touch(id: number, weight: number): void {
    if (id >= this.localOf.length) this.localOf = grown(this.localOf, Math.max(this.terms.size, 2 * this.localOf.length), -1);
    let local = this.localOf[id]!;
    if (local < 0) {
      local = this.localOf[id] = this.firstSeen.length;
      this.firstSeen.push(id);
      if (local >= this.weights.length) this.weights = grown(this.weights, 2 * this.weights.length, 0);
    }
    if (this.weights[local] === 0) this.touched.push(local);
    this.weights[local]! += weight;
  }

  /**
   * The index file: a buffer from `allocate` (the lengths of `LEXICAL_SECTIONS`), filled. The
   * sections, in order: averageLength (float64); the terms sorted by UTF-8 bytes, as one blob and
   * T + 1 offsets; the folded forms the same way (F), F + 1 starts into the spellings list and the
   * list (T term ids: each term is the spelling of one folded form, listed in order of first
   * occurrence, the order format 4 summed them in); T + 1 postings offsets; the passage lengths
   * and lead flags (N); the postings' passage ids and weighted tfs (P). The builder is spent (its
   * postings are released).
   */
  write(allocate: AllocateSections): ArrayBuffer {
    const N = this.documents;
    const T = this.firstSeen.length;
    const order = this.terms.order();
    // Own ids by rank (byte order of their terms), and each one's rank: the ids `terms` orders, kept where this index has them.
    const byRank = new Int32Array(T);
    const rank = new Uint32Array(T);
    let r = 0;
    for (const id of order.byRank) {
      const local = id < this.localOf.length ? this.localOf[id]! : -1;
      if (local < 0) continue;
      byRank[r] = local;
      rank[local] = r++;
    }
    this.localOf = new Int32Array(0);
    // The folded forms this index has (in byte order: their ranks ascending), each with its spellings in order of first occurrence.
    const spellings = new Uint32Array(order.foldedTexts.length);
    for (let local = 0; local < T; local++) spellings[order.folded[this.firstSeen.at(local)]!]!++;
    const foldedKeys: string[] = [];
    const foldedOf = new Int32Array(order.foldedTexts.length).fill(-1);
    spellings.forEach((n, f) => {
      if (n > 0) foldedOf[f] = foldedKeys.push(order.foldedTexts[f]!) - 1;
    });
    const terms = SortedTerms.encode(Array.from(byRank, (local) => this.terms.termOf(this.firstSeen.at(local))));
    const folded = SortedTerms.encode(foldedKeys);
    const P = this.postingTerms.length;
    const F = foldedKeys.length;
    const { buffer, sections } = allocate([1, terms.blob.length, T + 1, folded.blob.length, F + 1, F + 1, T, T + 1, N, N, P, P]);
    const [scalars, termBlob, termOffsets, foldedBlob, foldedOffsets, foldedStarts, foldedMembers, offsets, lengthsOut, leadsOut, docs, tfs] = sections as [
      Float64Array, Uint8Array, Uint32Array, Uint8Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Float32Array, Uint8Array, Uint32Array, Float32Array,
    ];
    scalars[0] = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, N);
    termBlob.set(terms.blob);
    termOffsets.set(terms.offsets);
    foldedBlob.set(folded.blob);
    foldedOffsets.set(folded.offsets);
    spellings.forEach((n, f) => {
      if (n > 0) foldedStarts[foldedOf[f]! + 1] = n;
    });
    for (let f = 0; f < F; f++) foldedStarts[f + 1]! += foldedStarts[f]!;
    const filled = foldedStarts.slice(0, F);
    for (let local = 0; local < T; local++) foldedMembers[filled[foldedOf[order.folded[this.firstSeen.at(local)]!]!]!++] = rank[local]!;
    lengthsOut.set(this.lengths);
    leadsOut.set(this.leads);
    this.postingTerms.forEachBlock((block) => {
      for (let k = 0; k < block.length; k++) offsets[rank[block[k]!]! + 1]!++;
    });
    for (let t = 0; t < T; t++) offsets[t + 1]! += offsets[t]!;
    const next = offsets.slice(0, T);
    // The documents in the order added, each one's postings from where it starts to where the next one does.
    const starts = [...this.documentStarts, P];
    let d = 0;
    this.postingTerms.forEachBlock((block, first) => {
      const tfBlock = this.postingTfs.blockAt(first);
      for (let k = 0; k < block.length; k++) {
        while (first + k >= starts[d + 1]!) d++;
        const at = next[rank[block[k]!]!]!++;
        docs[at] = this.documentOrder[d]!;
        tfs[at] = tfBlock[k]!;
      }
    });
    this.postingTerms.clear();
    this.postingTfs.clear();
    return buffer;
  }
}

/** A copy of `array` with room for `length` elements, the new ones set to `fill`. */
function grown<T extends Int32Array | Float64Array>(array: T, length: number, fill: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
