/**
 * How many bytes of postings read from index files are kept (every segment's lexical indexes
 * together), about the least recently used dropped first (`PostingsCache`). What the postings of a loaded index cost in
 * memory: at 200,000 articles they are ~3.8 GB on disk (40 segments), read when a question walks a
 * term's list or looks passages up in it, and left to the OS page cache otherwise; the common
 * syllables every question has stay here.
 */
export const POSTINGS_CACHE_BYTES = 128 * 2 ** 20;

/** Some postings: passage ids and weighted tfs at [start … end) of the arrays. */
export interface PostingsRange {
  docs: Uint32Array;
  tfs: Float32Array;
  start: number;
  end: number;
}

/** Postings read into a cache: their views, valid while `live` (the cache reuses the bytes of what it drops). */
export interface CachedPostings {
  readonly range: PostingsRange;
  readonly live: boolean;
}

interface Slot extends CachedPostings {
  readonly key: string;
  /** Where its bytes are in the ring, and how many (its passage ids, then its tfs). */
  readonly offset: number;
  readonly bytes: number;
  live: boolean;
}

/**
 * A bounded store of postings read from files (whole lists and blocks), in one buffer of
 * `capacity` bytes used as a ring: each read takes the bytes after the last one, dropping the
 * oldest entries there; an entry used when it is about to be dropped (within the next quarter of
 * the ring) is copied to the front, so what searches keep using stays, as in a least-recently-used
 * cache.
 *
 * Why not an `ArrayBuffer` per entry (the first version): a question at 200,000 articles reads tens
 * of megabytes of postings, and V8 answers that much new memory outside its heap with a full
 * collection of the heap (~200 MB, 150-300 ms) every question or two ("external memory pressure").
 * Here the memory is allocated once, at the first read (an index never searched holds none of it).
 *
 * An entry's views are valid while it is `live`: once dropped, its bytes are reused. A caller holds
 * them only while no other postings are read (walking one list, looking up one block), and checks
 * `live` before using an entry again (`FileList`).
 */
export class PostingsCache {
  private ring: ArrayBuffer | null = null;
  /** Where the next read goes. */
  private head = 0;
  private readonly slots = new Map<string, Slot>();
  /** Entries in the order of their place in the ring (oldest first, from `front`); dropped ones are skipped. */
  private order: Slot[] = [];
  private front = 0;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 8) throw new RangeError(`capacity must be an integer of at least 8 bytes, got ${capacity}`);
  }

  /** The postings kept under `key`, if any. */
  get(key: string): CachedPostings | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    const ringBytes = this.ringBytes;
    if ((slot.offset - this.head + ringBytes) % ringBytes < ringBytes / 4) {
      // About to be overwritten: copied to the front.
      this.drop(slot);
      const offset = this.allocate(slot.bytes);
      new Uint8Array(this.ring!).copyWithin(offset, slot.offset, slot.offset + slot.bytes);
      return this.keep(key, offset, slot.range.end);
    }
    return slot;
  }

  /**
   * `postings` postings read by `fill` (passage ids into its first target, tfs into its second),
   * kept under `key`. More than the whole capacity are read into a buffer of their own, not kept.
   */
  read(key: string, postings: number, fill: (docs: Uint8Array, tfs: Uint8Array) => void): CachedPostings {
    const bytes = postings * 8;
    const old = this.slots.get(key);
    if (old) this.drop(old);
    if (bytes > this.ringBytes) {
      const buffer = new ArrayBuffer(bytes);
      fill(new Uint8Array(buffer, 0, postings * 4), new Uint8Array(buffer, postings * 4));
      return { range: viewsOf(buffer, 0, postings), live: true };
    }
    const offset = this.allocate(bytes);
    fill(new Uint8Array(this.ring!, offset, postings * 4), new Uint8Array(this.ring!, offset + postings * 4, postings * 4));
    return this.keep(key, offset, postings);
  }

  /** Entries kept. */
  get size(): number {
    return this.slots.size;
  }

  /** Bytes of postings kept (at most `capacity`). */
  get weight(): number {
    return this.total;
  }

  /** The ring's length: the capacity, to a multiple of 8 bytes (an entry's views need 4-byte alignment, and every entry is 8 bytes a posting). */
  private get ringBytes(): number {
    return this.capacity - (this.capacity % 8);
  }

  private keep(key: string, offset: number, postings: number): Slot {
    const slot: Slot = { key, offset, bytes: postings * 8, range: viewsOf(this.ring!, offset, postings), live: true };
    this.slots.set(key, slot);
    this.order.push(slot);
    this.total += slot.bytes;
    return slot;
  }

  /** `bytes` at the head of the ring (at most its length), dropping the entries there. */
  private allocate(bytes: number): number {
    this.ring ??= new ArrayBuffer(this.ringBytes);
    if (this.head + bytes > this.ringBytes) {
      // The rest of the ring is too short: what is still there goes, and the ring starts over.
      this.dropOldestWhile((slot) => slot.offset >= this.head);
      this.head = 0;
    }
    const end = this.head + bytes;
    // The oldest entries start where this one goes (those of the lap before, after the head).
    this.dropOldestWhile((slot) => slot.offset >= this.head && slot.offset < end);
    const offset = this.head;
    this.head = end;
    if (this.front > 1024 && this.front * 2 > this.order.length) {
      this.order = this.order.slice(this.front);
      this.front = 0;
    }
    return offset;
  }

  private dropOldestWhile(test: (slot: Slot) => boolean): void {
    while (this.front < this.order.length) {
      const slot = this.order[this.front]!;
      if (slot.live && !test(slot)) return;
      if (slot.live) this.drop(slot);
      this.front++;
    }
  }

  private drop(slot: Slot): void {
    if (!slot.live) return;
    slot.live = false;
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    this.total -= slot.bytes;
  }
}

function viewsOf(buffer: ArrayBuffer, offset: number, postings: number): PostingsRange {
  return { docs: new Uint32Array(buffer, offset, postings), tfs: new Float32Array(buffer, offset + postings * 4, postings), start: 0, end: postings };
}

/** The cache every index read from disk shares, unless given its own. */
export const sharedPostingsCache = new PostingsCache(POSTINGS_CACHE_BYTES);
