import { fold, PAIR_JOINER, scanTokens, spacedBetween } from "../text/vietnamese";
import { codePointOrder } from "./sorted-terms";

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

/** A run and where its tokens are in its text (token i from `starts[i]` to `ends[i]`, UTF-16 offsets). */
export interface TokenisedText {
  run: TermRun;
  starts: Int32Array;
  ends: Int32Array;
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
  /** Per id: a pair's two syllable ids (−1 for a syllable), at 2·id and 2·id + 1. */
  private halves = new Int32Array(2048);
  /**
   * Open addressing (linear probing) over the pairs: per slot, its left and right syllable ids and
   * the pair's id (−1: empty), side by side, so a probe reads one place.
   */
  private table = new Int32Array(3 << 12).fill(-1);
  private pairCount = 0;
  /** Where `tokenise` writes a text's syllables, pairs, token starts and ends before copying them out. */
  private scratch = grownScratch(null);
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
      id = this.add(-1, -1);
      this.syllableIds.set(term, id);
      this.syllableOf[id] = term;
    }
    return id;
  }

  /** The id of the pair of two syllable ids (syllable a followed by b). */
  pair(a: number, b: number): number {
    const table = this.table;
    const slots = table.length / 3;
    let slot = hashPair(a, b) & (slots - 1);
    for (; table[3 * slot + 2]! >= 0; slot = (slot + 1) & (slots - 1)) {
      if (table[3 * slot] === a && table[3 * slot + 1] === b) return table[3 * slot + 2]!;
    }
    const id = this.add(a, b);
    this.syllableOf[id] = "";
    if (++this.pairCount * 2 > slots) this.rehash();
    else placeAt(table, slot, a, b, id);
    return id;
  }

  /** True for a pair's id. */
  isPair(id: number): boolean {
    return this.halves[2 * id]! >= 0;
  }

  /** The term of an id: the syllable, or the pair's syllables joined by `PAIR_JOINER`. */
  termOf(id: number): string {
    if (this.sorted && id < this.sorted.size) return this.sorted.texts[id]!;
    const a = this.halves[2 * id]!;
    return a < 0 ? this.syllableOf[id]! : this.syllableOf[a]! + PAIR_JOINER + this.syllableOf[this.halves[2 * id + 1]!]!;
  }

  /** A text's run and its tokens' offsets: the same terms, in the same order, as `indexTerms(text)`. */
  tokenise(text: string): TokenisedText {
    let n = 0;
    let previous = -1;
    let previousEnd = 0;
    scanTokens(text, (term, start, end) => {
      if (n === this.scratch.syllables.length) this.scratch = grownScratch(this.scratch);
      const { syllables, pairs, starts, ends } = this.scratch;
      const id = this.syllable(term);
      syllables[n] = id;
      pairs[n] = previous >= 0 && spacedBetween(text, previousEnd, start) ? this.pair(previous, id) : -1;
      starts[n] = start;
      ends[n++] = end;
      previous = id;
      previousEnd = end;
    });
    const { syllables, pairs, starts, ends } = this.scratch;
    return { run: { syllables: syllables.slice(0, n), pairs: pairs.slice(0, n) }, starts: starts.slice(0, n), ends: ends.slice(0, n) };
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
    const compare = codePointOrder(texts);
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
      const a = this.halves[2 * id]!;
      const key = a < 0 ? foldOf(id) : foldOf(a) + PAIR_JOINER + foldOf(this.halves[2 * id + 1]!);
      let f = foldedIds.get(key);
      if (f === undefined) foldedIds.set(key, (f = foldedIds.size));
      folded[id] = f;
    }
    const foldedTexts = [...foldedIds.keys()];
    const foldedCompare = codePointOrder(foldedTexts);
    const foldedByRank = Int32Array.from({ length: foldedTexts.length }, (_, f) => f).sort((a, b) => foldedCompare(foldedTexts[a]!, foldedTexts[b]!));
    const foldedRank = new Int32Array(foldedTexts.length);
    foldedByRank.forEach((f, r) => (foldedRank[f] = r));
    for (let id = 0; id < G; id++) folded[id] = foldedRank[folded[id]!]!;
    this.sorted = { size: G, texts, byRank, folded, foldedTexts: Array.from(foldedByRank, (f) => foldedTexts[f]!) };
    return this.sorted;
  }

  /** A new id, with its halves (−1, −1 for a syllable). */
  private add(a: number, b: number): number {
    const id = this.syllableOf.length;
    if (2 * id + 2 > this.halves.length) {
      const halves = new Int32Array(2 * this.halves.length);
      halves.set(this.halves);
      this.halves = halves;
    }
    this.halves[2 * id] = a;
    this.halves[2 * id + 1] = b;
    return id;
  }

  /** Doubles the table and places every pair again (at most half full: short probes). */
  private rehash(): void {
    const table = new Int32Array(2 * this.table.length).fill(-1);
    const slots = table.length / 3;
    for (let id = 0; id < this.size; id++) {
      const [a, b] = [this.halves[2 * id]!, this.halves[2 * id + 1]!];
      if (a < 0) continue;
      let slot = hashPair(a, b) & (slots - 1);
      while (table[3 * slot + 2]! >= 0) slot = (slot + 1) & (slots - 1);
      placeAt(table, slot, a, b, id);
    }
    this.table = table;
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


/** `TermIds.tokenise`'s scratch arrays, twice as long as `from`'s (4,096 to start), holding its contents. */
function grownScratch(from: { syllables: Int32Array; pairs: Int32Array; starts: Int32Array; ends: Int32Array } | null) {
  const length = from ? 2 * from.syllables.length : 4096;
  const grown = { syllables: new Int32Array(length), pairs: new Int32Array(length), starts: new Int32Array(length), ends: new Int32Array(length) };
  if (from) for (const key of ["syllables", "pairs", "starts", "ends"] as const) grown[key].set(from[key]);
  return grown;
}

function placeAt(table: Int32Array, slot: number, a: number, b: number, id: number): void {
  table[3 * slot] = a;
  table[3 * slot + 1] = b;
  table[3 * slot + 2] = id;
}

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
