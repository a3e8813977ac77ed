import { fold, PAIR_JOINER, spaced, tokenize, type Token } from "../text/vietnamese";
import { compareCodePoints } from "./sorted-terms";
import { GrowableArray } from "./growable-array";

/**
 * A text's index terms (`indexTerms`) as ids of a `TermIds`: each token's syllable, and the pair
 * it makes with the token before it. What a build tokenises once per article and hands to both
 * lexical builders and the vocabulary count (format 4 and the first format 5 builder tokenised each
 * passage three times: passage index, article index, vocabulary; and looked every term up by string).
 */
export interface TermRun {
  /** Token i's syllable id. */
  readonly syllables: Int32Array;
  /**
   * `pairs[i]`: the id of the pair of tokens i − 1 and i, or −1 when something but spaces stands
   * between them. `pairs[0]` is never read: a run cut out of a longer one starts without its pair.
   */
  readonly pairs: Int32Array;
}

/** A run and the tokens it was made from (offsets into its text). */
export interface TokenisedText {
  run: TermRun;
  tokens: Token[];
}

/**
 * Integer ids for the syllables and syllable pairs of a build (one segment's texts), so that
 * building its indexes and counting its vocabulary look a term up by number, not by string. A
 * syllable is found through a `Map` once per token; a pair through a hash table keyed by its two
 * syllable ids, and its text ("a_b") is made only when asked for (`termOf`), once per distinct
 * pair, not once per occurrence as `syllablePairs` makes it.
 *
 * @example
 *   const terms = new TermIds();
 *   const { run } = terms.tokenise("Hữu Lũng, Lạng Sơn");
 *   terms.termOf(run.pairs[1]!); // → "hữu_lũng"; run.pairs[2] is −1 (a comma between)
 */
export class TermIds {
  private readonly syllableIds = new Map<string, number>();
  /** Per id: its syllable, or "" for a pair. */
  private readonly syllableOf: string[] = [];
  /** Per pair id, its two syllable ids (−1 for a syllable). */
  private readonly left = new GrowableArray(Int32Array);
  private readonly right = new GrowableArray(Int32Array);
  /** Open addressing (linear probing) over pair ids, keyed by (left, right); −1 = empty. */
  private table = new Int32Array(1 << 12).fill(-1);
  private pairCount = 0;
  /** What `order` found, while no id has been added since. */
  private sorted: TermOrder | null = null;

  /** How many ids there are: ids are 0 … size − 1, in order of first sight. */
  get size(): number {
    return this.syllableOf.length;
  }

  /** The id of a syllable (a `Token.term`). */
  syllable(term: string): number {
    let id = this.syllableIds.get(term);
    if (id === undefined) {
      id = this.size;
      this.syllableIds.set(term, id);
      this.syllableOf.push(term);
      this.left.push(-1);
      this.right.push(-1);
    }
    return id;
  }

  /** The id of the pair of two syllable ids (syllable a followed by b). */
  pair(a: number, b: number): number {
    const mask = this.table.length - 1;
    for (let slot = hashPair(a, b) & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot]!;
      if (id < 0) break;
      if (this.left.at(id) === a && this.right.at(id) === b) return id;
    }
    const id = this.size;
    this.syllableOf.push("");
    this.left.push(a);
    this.right.push(b);
    if (++this.pairCount * 2 > this.table.length) this.rehash();
    else this.place(id);
    return id;
  }

  /** True for a pair's id. */
  isPair(id: number): boolean {
    return this.left.at(id) >= 0;
  }

  /** The term of an id: the syllable, or the pair's syllables joined by `PAIR_JOINER`. */
  termOf(id: number): string {
    if (this.sorted && id < this.sorted.size) return this.sorted.texts[id]!;
    const a = this.left.at(id);
    return a < 0 ? this.syllableOf[id]! : this.syllableOf[a]! + PAIR_JOINER + this.syllableOf[this.right.at(id)]!;
  }

  /** A text's tokens and its run: the same terms, in the same order, as `indexTerms(text)`. */
  tokenise(text: string): TokenisedText {
    const tokens = tokenize(text);
    const syllables = new Int32Array(tokens.length);
    const pairs = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      syllables[i] = this.syllable(tokens[i]!.term);
      pairs[i] = i > 0 && spaced(text, tokens[i - 1]!, tokens[i]!) ? this.pair(syllables[i - 1]!, syllables[i]!) : -1;
    }
    return { run: { syllables, pairs }, tokens };
  }

  /**
   * Every id in the byte order of its term, and each one's accent-folded form (`fold`) numbered
   * in that order too: what a lexical index file sorts its dictionary and folded table by,
   * computed once for a segment's two indexes (each keeps the ids it holds: `LexicalBuilder.write`).
   * Remembered until an id is added.
   */
  order(): TermOrder {
    if (this.sorted?.size === this.size) return this.sorted;
    const G = this.size;
    const texts = Array.from({ length: G }, (_, id) => this.termOf(id));
    // Code-unit order (`<`, native) is code-point order (UTF-8 byte order) unless a surrogate is compared with a unit above it.
    const compare = texts.some((text) => SURROGATE.test(text)) ? compareCodePoints : compareUnits;
    const byRank = Int32Array.from({ length: G }, (_, id) => id).sort((a, b) => compare(texts[a]!, texts[b]!));
    const syllableFolds = new Map<number, string>();
    const foldOf = (id: number) => {
      let folded = syllableFolds.get(id);
      if (folded === undefined) syllableFolds.set(id, (folded = fold(this.syllableOf[id]!)));
      return folded;
    };
    const foldedIds = new Map<string, number>();
    const folded = new Int32Array(G);
    for (let id = 0; id < G; id++) {
      const a = this.left.at(id);
      const key = a < 0 ? foldOf(id) : foldOf(a) + PAIR_JOINER + foldOf(this.right.at(id));
      let f = foldedIds.get(key);
      if (f === undefined) foldedIds.set(key, (f = foldedIds.size));
      folded[id] = f;
    }
    const foldedTexts = [...foldedIds.keys()];
    const foldedCompare = foldedTexts.some((text) => SURROGATE.test(text)) ? compareCodePoints : compareUnits;
    const foldedByRank = Int32Array.from({ length: foldedTexts.length }, (_, f) => f).sort((a, b) => foldedCompare(foldedTexts[a]!, foldedTexts[b]!));
    const foldedRank = new Int32Array(foldedTexts.length);
    foldedByRank.forEach((f, r) => (foldedRank[f] = r));
    for (let id = 0; id < G; id++) folded[id] = foldedRank[folded[id]!]!;
    this.sorted = { size: G, texts, byRank, folded, foldedTexts: Array.from(foldedByRank, (f) => foldedTexts[f]!) };
    return this.sorted;
  }

  private place(id: number): void {
    const mask = this.table.length - 1;
    let slot = hashPair(this.left.at(id), this.right.at(id)) & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = id;
  }

  /** Doubles the table and places every pair again (at most half full: short probes). */
  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let id = 0; id < this.size; id++) if (this.left.at(id) >= 0) this.place(id);
  }
}

/** The terms of a `TermIds` in byte order (see `TermIds.order`). */
export interface TermOrder {
  /** How many ids it orders. */
  readonly size: number;
  /** Per id: its term (kept for `termOf`: a pair's text is made once). */
  readonly texts: string[];
  /** The ids, sorted by their terms' UTF-8 bytes. */
  readonly byRank: Int32Array;
  /** Per id: the rank of its folded form in `foldedTexts`. */
  readonly folded: Int32Array;
  /** The distinct folded forms, sorted by UTF-8 bytes. */
  readonly foldedTexts: string[];
}

const SURROGATE = /[\uD800-\uDFFF]/;
const compareUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Mixes two ids into a 32-bit hash (multiplicative, then the high bits folded down). */
function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}

/** The part of a run from token `from` to token `to` (views: nothing copied). */
export function runBetween(run: TermRun, from: number, to: number): TermRun {
  return { syllables: run.syllables.subarray(from, to), pairs: run.pairs.subarray(from, to) };
}

/** How many terms a run holds (its syllables and pairs): the length `indexTerms` gives. */
export function termCount(run: TermRun): number {
  let n = run.syllables.length;
  for (let i = 1; i < run.pairs.length; i++) if (run.pairs[i]! >= 0) n++;
  return n;
}
