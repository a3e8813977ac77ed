/**
 * How many lookups a dictionary remembers: a question asks 10-60 distinct terms, and there are at
 * most four dictionaries per segment (two when its indexes share theirs: `LexicalIndex.read`), so
 * at 40 segments (200,000 articles) this is at most ~160,000 entries.
 */
const RECENT_LOOKUPS = 1024;

/**
 * A term dictionary as it lies in an index file: the terms' UTF-8 bytes sorted and concatenated
 * in one blob, and where each starts (`offsets`, one more than there are terms). A term's id is its
 * rank; a lookup is a binary search comparing bytes (the query term encoded once). Nothing is
 * decoded at load, no `Map` of 300,000 strings is built: the dictionary costs its file bytes.
 */
export class SortedTerms {
  private readonly blob: Buffer;
  /**
   * The ids of the terms looked up lately: a question's common syllables are looked up in every
   * segment's dictionaries by every question, and a binary search encodes the term and calls a
   * native comparison some 18 times. Emptied when full, so it stays small (see `RECENT_LOOKUPS`).
   */
  private readonly recent = new Map<string, number>();

  constructor(
    blob: Uint8Array,
    /** Byte offsets of each term in `blob`, and its end: `size + 1` of them. */
    private readonly offsets: Uint32Array,
  ) {
    // A Buffer over the same memory (no copy), for its native byte comparison.
    this.blob = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** The id (rank) of a term, or −1. */
  find(term: string): number {
    let id = this.recent.get(term);
    if (id === undefined) {
      if (this.recent.size >= RECENT_LOOKUPS) this.recent.clear();
      this.recent.set(term, (id = this.search(term)));
    }
    return id;
  }

  private search(term: string): number {
    const key = utf8(term);
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      // The sign of (term at mid) − key, in byte order.
      const order = compareBytes(this.blob, this.offsets[mid]!, this.offsets[mid + 1]!, key);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The term of an id. */
  at(id: number): string {
    return this.blob.toString("utf8", this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** The blob and offsets of these terms, which must be sorted by `compareCodePoints` (UTF-8 byte order) and distinct. */
  static encode(sorted: readonly string[]): { blob: Uint8Array; offsets: Uint32Array } {
    const offsets = new Uint32Array(sorted.length + 1);
    for (let i = 0; i < sorted.length; i++) offsets[i + 1] = offsets[i]! + Buffer.byteLength(sorted[i]!, "utf8");
    const blob = Buffer.alloc(offsets[sorted.length]!);
    for (let i = 0; i < sorted.length; i++) blob.write(sorted[i]!, offsets[i]!, "utf8");
    return { blob, offsets };
  }
}

const encoder = new TextEncoder();
/** Where `utf8` writes: grown when a term needs more (at most 3 bytes per UTF-16 unit). */
let encoded = new Uint8Array(256);

/**
 * A term's UTF-8 bytes (a lone surrogate as U+FFFD, as `Buffer.from` writes it), in a buffer
 * reused by every lookup: valid until the next call.
 */
function utf8(term: string): Uint8Array {
  if (encoded.length < 3 * term.length) encoded = new Uint8Array(3 * term.length);
  return encoded.subarray(0, encoder.encodeInto(term, encoded).written);
}

/**
 * The sign of bytes[from, to) − key in byte order (a prefix first), as `Buffer.compare` gives it: a
 * loop in JavaScript beats the native call for the few bytes of a term.
 */
function compareBytes(bytes: Uint8Array, from: number, to: number, key: Uint8Array): number {
  const n = Math.min(to - from, key.length);
  for (let i = 0; i < n; i++) {
    const d = bytes[from + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return to - from - key.length;
}

/**
 * Orders strings by code point, which is the byte order of their UTF-8 encodings (the order
 * `SortedTerms.find` searches in). JavaScript's `<` compares UTF-16 code units, which differs for
 * characters beyond U+FFFF (surrogate pairs, e.g. emoji) against U+E000-U+FFFF: those units are
 * remapped so that surrogates sort last. Well-formed strings only (a lone surrogate encodes as U+FFFD).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number) => (unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

/**
 * The order of `compareCodePoints`, as cheap as these strings allow: when none of them holds a
 * surrogate, code-unit order is code-point order, and JavaScript's own `<` (native) gives it.
 */
export function codePointOrder(strings: readonly string[]): (a: string, b: string) => number {
  return strings.some((text) => SURROGATE.test(text)) ? compareCodePoints : compareUnits;
}

/** Sorts strings in place by code point (UTF-8 byte order), natively when none holds a surrogate (`codePointOrder`). */
export function sortByCodePoints(strings: string[]): string[] {
  return codePointOrder(strings) === compareUnits ? strings.sort() : strings.sort(compareCodePoints);
}

const SURROGATE = /[\uD800-\uDFFF]/;
const compareUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
