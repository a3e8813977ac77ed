import { RecentCache } from "../recent-cache";
import { wordsOf } from "./vietnamese";

/**
 * Word-trigram similarity: how two passages that say the same thing are told apart from two that
 * merely share words. Used to collapse syndicated copies in retrieval and to keep an answer from
 * quoting the same thing twice.
 */

/** The text's lower-cased word trigrams (the words themselves, as one, for a text under three words). */
export function shingles(text: string): Set<string> {
  const words = wordsOf(text.toLowerCase());
  const set = new Set<string>();
  for (let i = 2; i < words.length; i++) set.add(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  if (words.length > 0 && words.length < 3) set.add(words.join(" "));
  return set;
}

/**
 * `shingles` for texts compared with one another (a question's candidate passages), without a
 * string per trigram: words are numbered as first met, over every text of one `Trigrams`, and a
 * text's trigrams are kept as triples of numbers (`TrigramSet`). Each text's set is its `shingles`
 * set renamed one to one, so sizes, intersections and `jaccard` are the same.
 */
export class Trigrams {
  private readonly numbers = new Map<string, number>();

  of(text: string): TrigramSet {
    const words = wordsOf(text.toLowerCase());
    const ids = new Int32Array(words.length);
    words.forEach((word, i) => {
      let id = this.numbers.get(word);
      if (id === undefined) this.numbers.set(word, (id = this.numbers.size));
      ids[i] = id;
    });
    return TrigramSet.of(ids);
  }

  /** Words numbered so far. */
  get words(): number {
    return this.numbers.size;
  }
}

/**
 * `Trigrams` of passages, remembered by a key (the passage's article and place): the retriever
 * compares the best passages of every question, and questions meet the same passages again. One
 * numbering of words serves every set kept, so any two of them compare as their texts' `shingles`
 * would. The numbering only grows; once past `maxWords` it starts over with the next question
 * (`forQuestion`), dropping the sets numbered before (never within a question, whose sets are
 * compared with one another).
 */
export class RecentTrigrams {
  private numbered = new Trigrams();
  private readonly sets: RecentCache<string, TrigramSet>;

  constructor(
    /** Passages whose sets are kept (each a few kilobytes: 1,024 take ~5 MB). */
    capacity = 1024,
    private readonly maxWords = 1 << 20,
  ) {
    this.sets = new RecentCache(capacity);
  }

  /** The sets of one question's passages: `of(key, text)` is `text`'s, made when not kept. */
  forQuestion(): (key: string, text: () => string) => TrigramSet {
    if (this.numbered.words > this.maxWords) {
      this.numbered = new Trigrams();
      this.sets.clear();
    }
    const { numbered, sets } = this;
    return (key, text) => sets.remember(key, () => numbered.of(text()));
  }

  /** Passages kept. */
  get size(): number {
    return this.sets.size;
  }
}

/** Marks a missing word: a text of one or two words is one element, its words and this. */
const NONE = -1;
/** Marks a free slot of the table. */
const FREE = -2;

/**
 * The distinct trigrams of a sequence of word numbers, in an open-addressing hash table of
 * triples (linear probing, at most half full), and listed once each: no object per trigram.
 */
export class TrigramSet {
  private constructor(
    /** Three numbers per slot; the first is FREE in a free slot. */
    private readonly table: Int32Array,
    private readonly mask: number,
    /** The trigrams, three numbers each, in the order first met. */
    private readonly entries: Int32Array,
    readonly size: number,
  ) {}

  /** The set of `ids`'s trigrams; for one or two words, those words as one element (as `shingles` does). */
  static of(ids: Int32Array): TrigramSet {
    const n = ids.length;
    let slots = 4;
    while (slots < 2 * Math.max(1, n - 2)) slots *= 2;
    const table = new Int32Array(3 * slots).fill(FREE);
    const entries = new Int32Array(3 * Math.max(1, n - 2));
    let size = 0;
    const add = (a: number, b: number, c: number) => {
      if (!insert(table, slots - 1, a, b, c)) return;
      entries[3 * size] = a;
      entries[3 * size + 1] = b;
      entries[3 * size + 2] = c;
      size++;
    };
    if (n > 0 && n < 3) add(ids[0]!, n === 2 ? ids[1]! : NONE, NONE);
    for (let i = 2; i < n; i++) add(ids[i - 2]!, ids[i - 1]!, ids[i]!);
    return new TrigramSet(table, slots - 1, entries, size);
  }

  has(a: number, b: number, c: number): boolean {
    for (let slot = hash(a, b, c) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = 3 * slot;
      if (this.table[at] === FREE) return false;
      if (this.table[at] === a && this.table[at + 1] === b && this.table[at + 2] === c) return true;
    }
  }

  /**
   * Whether `other` holds at least `need` of this set's trigrams: counting stops as soon as the
   * answer is known (most pairs of passages share too few, which shows after a few misses).
   */
  sharesAtLeast(other: TrigramSet, need: number): boolean {
    let n = 0;
    const { entries } = this;
    for (let k = 0; k < this.size; k++) {
      if (n >= need) return true;
      if (n + (this.size - k) < need) return false;
      if (other.has(entries[3 * k]!, entries[3 * k + 1]!, entries[3 * k + 2]!)) n++;
    }
    return n >= need;
  }
}

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12);
}

/** Adds a triple to a table; false when it was there. */
function insert(table: Int32Array, mask: number, a: number, b: number, c: number): boolean {
  for (let slot = hash(a, b, c) & mask; ; slot = (slot + 1) & mask) {
    const at = 3 * slot;
    if (table[at] === FREE) {
      table[at] = a;
      table[at + 1] = b;
      table[at + 2] = c;
      return true;
    }
    if (table[at] === a && table[at + 1] === b && table[at + 2] === c) return false;
  }
}

/** |a ∩ b| / |a ∪ b|; 0 when either is empty. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * `jaccard(a, b) >= threshold`, without counting the intersection when the sizes alone rule it
 * out: the intersection is at most the smaller set and the union at least the larger, so jaccard ≤
 * |smaller| / |larger|, and a rounded division keeps that order.
 */
export function jaccardAtLeast<T>(a: ReadonlySet<T>, b: ReadonlySet<T>, threshold: number): boolean {
  return !sizesRuleOut(a.size, b.size, threshold) && jaccard(a, b) >= threshold;
}

/**
 * `jaccardAtLeast` of two `TrigramSet`s, without counting the whole intersection: jaccard
 * (computed as `jaccard` does, a rounded division) only grows with the intersection, so it
 * reaches the threshold exactly when the intersection reaches the least size `need` whose
 * jaccard does.
 */
export function trigramJaccardAtLeast(a: TrigramSet, b: TrigramSet, threshold: number): boolean {
  if (a.size === 0 || b.size === 0) return 0 >= threshold;
  if (sizesRuleOut(a.size, b.size, threshold)) return false;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const union = a.size + b.size;
  // Close below the real-valued bound threshold × union / (1 + threshold), then up by the same division.
  let need = Math.max(0, Math.floor((threshold * union) / (1 + threshold)) - 2);
  while (need <= small.size && need / (union - need) < threshold) need++;
  return need <= small.size && small.sharesAtLeast(large, need);
}

function sizesRuleOut(x: number, y: number, threshold: number): boolean {
  const [small, large] = x <= y ? [x, y] : [y, x];
  return large > 0 && small / large < threshold;
}
