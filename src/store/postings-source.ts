import type { OpenFile } from "./binary-file";
import type { CachedPostings, PostingsCache, PostingsRange } from "./postings-cache";
import { gallop, type PostingList } from "./pruned-search";

/**
 * Postings per block: what a lookup reads of a list it does not walk (`FileList.seek`). Blocks are
 * aligned on the file's postings, not on a term's list, so that a block is one cache entry whichever
 * term's lookup reads it. 256 postings are 1 KiB of passage ids and 1 KiB of tfs: a lookup among a few
 * hundred candidates in a list of ~100,000 postings reads a few hundred kibibytes instead of 800.
 */
export const POSTINGS_BLOCK = 256;

/**
 * A list looked up `lookups` times is read whole when it holds at most this many postings per
 * lookup (see `FileList.expect`): a block read (two positional reads) costs about as much as
 * copying a few thousand postings from the page cache. At 200,000 articles, 1,024 → 4,096 took the
 * passage search from 51.0 / 46.3 to 45.5 / 40.6 ms on average and the article search from 14.8 /
 * 14.3 to 12.0 / 11.3 ms (600 questions, two rounds alternated; 16,384 no better).
 */
const WHOLE_LIST_PER_LOOKUP = 4096;

/** Where a lexical index's postings (its `docs` and `tfs` sections) are read from. */
export interface PostingsSource {
  /**
   * A term's postings [from, to) (as its offsets say), with the ids of its index shifted by `base`,
   * read only when a search walks them or looks passages up in them (`PostingList`).
   */
  list(from: number, to: number, base: number, segmentEnd: number): PostingList;
  /** The passage ids [from, to), not kept: for a pass over every posting (`deadFrequencies`). */
  docsBetween(from: number, to: number): Uint32Array;
}

/**
 * A list over postings already in memory (a built index's arrays, or a whole list read before):
 * walked in place, looked up by galloping search.
 */
export class MemoryList implements PostingList {
  readonly length: number;

  constructor(
    private readonly range: PostingsRange,
    readonly base: number,
    readonly segmentEnd: number,
  ) {
    this.length = range.end - range.start;
  }

  all(): PostingsRange {
    return this.range;
  }

  expect(): PostingsRange {
    return this.range;
  }

  seek(from: number, doc: number): number {
    const { docs, start, end } = this.range;
    return gallop(docs, start + from, end, doc) - start;
  }

  docAt(p: number): number {
    return this.range.docs[this.range.start + p]!;
  }

  tfAt(p: number): number {
    return this.range.tfs[this.range.start + p]!;
  }
}

/** Postings in memory: a freshly built index's (its whole file is in one buffer). */
export class MemoryPostings implements PostingsSource {
  constructor(
    private readonly docs: Uint32Array,
    private readonly tfs: Float32Array,
  ) {}

  list(from: number, to: number, base: number, segmentEnd: number): PostingList {
    return new MemoryList({ docs: this.docs, tfs: this.tfs, start: from, end: to }, base, segmentEnd);
  }

  docsBetween(from: number, to: number): Uint32Array {
    return this.docs.subarray(from, to);
  }
}

let nextFileId = 0;

/**
 * Postings read from the index file when a search asks for them (`fs.readSync` at the term's
 * offset: searches are synchronous), through a `PostingsCache`. A loaded index holds its term
 * dictionary, offsets and passage lengths, not its postings.
 *
 * A term's list is read whole only when a search walks it; a search that only looks a few
 * passages up in it (the common syllables, once MaxScore has its candidates) reads the blocks
 * those lookups land in (`POSTINGS_BLOCK`). Both are kept in the cache: a whole list under its
 * first posting, a block under its number.
 */
export class FilePostings implements PostingsSource {
  /** Distinguishes this file's entries in a shared cache. */
  private readonly id = nextFileId++;

  constructor(
    private readonly file: OpenFile,
    /** Byte offsets of the `docs` (uint32) and `tfs` (float32) sections in the file. */
    private readonly docsAt: number,
    private readonly tfsAt: number,
    /** Postings in the file (the length of both sections). */
    private readonly count: number,
    private readonly cache: PostingsCache,
  ) {}

  list(from: number, to: number, base: number, segmentEnd: number): PostingList {
    return new FileList(this, from, to, base, segmentEnd);
  }

  /** The postings [from, to), whole: from the cache, or read and kept. */
  range(from: number, to: number): CachedPostings {
    const key = `${this.id}:${from}`;
    return this.cache.get(key) ?? this.read(key, from, to);
  }

  /** The postings [from, …) if the cache holds them whole (not read otherwise). */
  cachedRange(from: number): CachedPostings | undefined {
    return this.cache.get(`${this.id}:${from}`);
  }

  /** Block `k`: the postings [k × POSTINGS_BLOCK, (k + 1) × POSTINGS_BLOCK) of the file (fewer in the last). */
  block(k: number): CachedPostings {
    const key = `${this.id}#${k}`;
    const from = k * POSTINGS_BLOCK;
    return this.cache.get(key) ?? this.read(key, from, Math.min(this.count, from + POSTINGS_BLOCK));
  }

  docsBetween(from: number, to: number): Uint32Array {
    const docs = new Uint32Array(to - from);
    this.file.readInto(new Uint8Array(docs.buffer), this.docsAt + from * 4);
    return docs;
  }

  /** The postings [from, to) read from both sections into the cache, under `key`. */
  private read(key: string, from: number, to: number): CachedPostings {
    return this.cache.read(key, to - from, (docs, tfs) => {
      this.file.readInto(docs, this.docsAt + from * 4);
      this.file.readInto(tfs, this.tfsAt + from * 4);
    });
  }
}

/**
 * One term's postings in an index file, [from, to) of its sections, read as a search needs them:
 * whole when walked (`all`), by blocks when looked up (`seek`, `docAt`, `tfAt`). Lives for a
 * question or two (a search's scoring units); the entries it has used are held here as well as in
 * the cache, so a lookup does not ask the cache again for a block it has, and checked before each
 * use: the cache may have dropped them since, for other postings.
 */
class FileList implements PostingList {
  readonly length: number;
  /** The whole list, once read or found in the cache. */
  private whole: CachedPostings | null = null;
  /** Whether the cache was asked for the whole list since it was last dropped (a lookup uses it when it is there). */
  private asked = false;
  /** The blocks used, by number − the first block's. */
  private readonly blocks: (CachedPostings | undefined)[] = [];
  private readonly firstBlock: number;

  constructor(
    private readonly source: FilePostings,
    private readonly from: number,
    to: number,
    readonly base: number,
    readonly segmentEnd: number,
  ) {
    this.length = to - from;
    this.firstBlock = Math.floor(from / POSTINGS_BLOCK);
  }

  /** Valid until other postings are read. */
  all(): PostingsRange {
    const whole = this.memory();
    if (whole) return whole;
    this.whole = this.source.range(this.from, this.from + this.length);
    this.asked = true;
    return this.whole.range;
  }

  /**
   * Before `lookups` lookups: reads the list whole when that costs less than reading the blocks
   * they would land in (`WHOLE_LIST_PER_LOOKUP`; a whole list is kept for the next questions too,
   * as the common syllables' are asked again and again). The whole list when it is in memory then
   * (read now, or found in the cache), null otherwise.
   */
  expect(lookups: number): PostingsRange | null {
    if (this.length <= WHOLE_LIST_PER_LOOKUP * lookups) return this.all();
    return this.memory();
  }

  /**
   * The first position ≥ `from` whose passage (local id) is ≥ `doc`, or `length`. Over the whole
   * list when it is in memory; otherwise over blocks, reading only those it probes: the block
   * where `doc` would be if the list's ids were spread evenly over its segment, then galloping
   * from there to the block that holds the answer, then within it.
   */
  seek(from: number, doc: number): number {
    const n = this.length;
    if (from >= n) return n;
    const whole = this.memory();
    if (whole) return gallop(whole.docs, from, n, doc);
    const end = this.from + n; // file positions
    const blockStart = (k: number) => Math.max(this.from, k * POSTINGS_BLOCK); // the list's first posting in block k
    const blockEnd = (k: number) => Math.min(end, (k + 1) * POSTINGS_BLOCK); // one past its last
    const lastDocOf = (k: number) => this.docAtFile(blockEnd(k) - 1);
    let k = Math.floor((this.from + from) / POSTINGS_BLOCK);
    let at = this.from + from;
    if (lastDocOf(k) < doc) {
      const lastBlock = Math.floor((end - 1) / POSTINGS_BLOCK);
      if (k === lastBlock) return n;
      // The answer is in block hi, the first whose last id is ≥ doc: lastDocOf(lo) < doc, and
      // hi = lastBlock + 1 stands for "none" (the answer is n).
      let lo = k;
      let hi = lastBlock + 1;
      const known = blockEnd(k) - 1;
      const knownDoc = this.docAtFile(known);
      const span = this.segmentEnd - this.base;
      const guess = known + Math.floor(((doc - knownDoc) / Math.max(1, span - knownDoc)) * (end - 1 - known));
      const probe = Math.min(lastBlock, Math.max(lo + 1, Math.floor(guess / POSTINGS_BLOCK)));
      if (lastDocOf(probe) < doc) {
        lo = probe;
        // Gallop forward from the guess.
        for (let step = 1; lo + step <= lastBlock; step *= 2) {
          if (lastDocOf(lo + step) >= doc) {
            hi = lo + step;
            break;
          }
          lo += step;
        }
      } else if (this.docAtFile(blockStart(probe)) < doc || probe === lo + 1) {
        hi = probe; // the answer is in the block guessed
        lo = probe - 1;
      } else {
        hi = probe;
        // Gallop back from the guess: every id of block hi is ≥ doc.
        for (let step = 1; ; step *= 2) {
          const back = Math.max(lo, hi - step);
          if (back === lo) break;
          if (lastDocOf(back) < doc) {
            lo = back;
            break;
          }
          hi = back;
        }
      }
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (mid <= lastBlock && lastDocOf(mid) < doc) lo = mid;
        else hi = mid;
      }
      if (hi > lastBlock) return n;
      k = hi;
      at = blockStart(k);
    }
    const block = this.blockAt(k);
    const first = k * POSTINGS_BLOCK;
    return gallop(block.docs, at - first, blockEnd(k) - first, doc) + first - this.from;
  }

  docAt(p: number): number {
    const whole = this.memory();
    return whole ? whole.docs[p]! : this.docAtFile(this.from + p);
  }

  tfAt(p: number): number {
    const whole = this.memory();
    if (whole) return whole.tfs[p]!;
    const at = this.from + p;
    const k = Math.floor(at / POSTINGS_BLOCK);
    return this.blockAt(k).tfs[at - k * POSTINGS_BLOCK]!;
  }

  /** The whole list if it is in memory (read by `all`, or found in the cache), positions from 0. */
  private memory(): PostingsRange | null {
    if (this.whole !== null) {
      if (this.whole.live) return this.whole.range;
      this.whole = null;
      this.asked = false;
    }
    if (!this.asked) {
      this.asked = true;
      this.whole = this.source.cachedRange(this.from) ?? null;
    }
    return this.whole?.range ?? null;
  }

  private docAtFile(at: number): number {
    const k = Math.floor(at / POSTINGS_BLOCK);
    return this.blockAt(k).docs[at - k * POSTINGS_BLOCK]!;
  }

  private blockAt(k: number): PostingsRange {
    const held = this.blocks[k - this.firstBlock];
    if (held?.live) return held.range;
    const block = this.source.block(k);
    this.blocks[k - this.firstBlock] = block;
    return block.range;
  }
}
