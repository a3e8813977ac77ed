import { RecentCache } from "../recent-cache";
import type { OpenFile } from "./binary-file";

/**
 * How many bytes of postings read from index files are kept (every segment's lexical indexes
 * together), least recently used dropped first. What the postings of a loaded index cost in
 * memory: at 200,000 articles they are ~3.8 GB on disk (40 segments), read a term at a time when a
 * question names it, and left to the OS page cache otherwise; the common syllables every question
 * has stay here.
 */
export const POSTINGS_CACHE_BYTES = 128 * 2 ** 20;

/** Some postings: passage ids and weighted tfs at [start … end) of the arrays. */
export interface PostingsRange {
  docs: Uint32Array;
  tfs: Float32Array;
  start: number;
  end: number;
}

/** Where a lexical index's postings (its `docs` and `tfs` sections) are read from. */
export interface PostingsSource {
  /** The postings [from, to) of the sections (one term's, as its offsets say). */
  range(from: number, to: number): PostingsRange;
  /** The passage ids [from, to), not kept: for a pass over every posting (`deadFrequencies`). */
  docsBetween(from: number, to: number): Uint32Array;
}

/** Postings in memory: a freshly built index's (its whole file is in one buffer). */
export class MemoryPostings implements PostingsSource {
  constructor(
    private readonly docs: Uint32Array,
    private readonly tfs: Float32Array,
  ) {}

  range(from: number, to: number): PostingsRange {
    return { docs: this.docs, tfs: this.tfs, start: from, end: to };
  }

  docsBetween(from: number, to: number): Uint32Array {
    return this.docs.subarray(from, to);
  }
}

/** A bounded least-recently-used store of postings read from files, by size in bytes (`weight`). */
export class PostingsCache extends RecentCache<string, PostingsRange> {
  constructor(capacityBytes: number) {
    super(capacityBytes, (entry) => entry.docs.byteLength + entry.tfs.byteLength);
  }
}

/** The cache every index read from disk shares, unless given its own. */
export const sharedPostingsCache = new PostingsCache(POSTINGS_CACHE_BYTES);

let nextFileId = 0;

/**
 * Postings read from the index file when a search asks for them (`fs.readSync` at the term's
 * offset: searches are synchronous), through a `PostingsCache`. A loaded index holds its term
 * dictionary, offsets and passage lengths, not its postings.
 */
export class FilePostings implements PostingsSource {
  /** Distinguishes this file's entries in a shared cache. */
  private readonly id = nextFileId++;

  constructor(
    private readonly file: OpenFile,
    /** Byte offsets of the `docs` (uint32) and `tfs` (float32) sections in the file. */
    private readonly docsAt: number,
    private readonly tfsAt: number,
    private readonly cache: PostingsCache,
  ) {}

  range(from: number, to: number): PostingsRange {
    const key = `${this.id}:${from}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const entry = { docs: this.read(Uint32Array, this.docsAt, from, to), tfs: this.read(Float32Array, this.tfsAt, from, to), start: 0, end: to - from };
    this.cache.set(key, entry);
    return entry;
  }

  docsBetween(from: number, to: number): Uint32Array {
    return this.read(Uint32Array, this.docsAt, from, to);
  }

  private read<T extends Uint32Array | Float32Array>(Type: new (buffer: ArrayBuffer) => T, sectionAt: number, from: number, to: number): T {
    const buffer = new ArrayBuffer((to - from) * 4);
    this.file.readInto(new Uint8Array(buffer), sectionAt + from * 4);
    return new Type(buffer);
  }
}
