import fs from "node:fs";
import { align8, elementBytes, headerBytes, OpenFile, sectionTable, sectionView, writeHeader, type Section, type SectionEntry, type SectionKind } from "./binary-file";

/**
 * Reading and writing the sections of index files (binary-file.ts) a piece at a time, in bounded
 * memory: what a merge of segments (segment-merge.ts) goes through, whose inputs and output are
 * gigabytes at 200,000 articles. Synchronous: a merge reads a few elements at a time, millions of
 * times, and a promise per read would cost more than the read; it runs in the build (a worker
 * thread in the bot), never on the thread that answers readers.
 */

/** How many bytes a stream reads, or a writer gathers, at a time. */
const PIECE_BYTES = 1 << 20;

/** An index file open for streaming its sections: its section table, checked as `sectionTable` checks it. */
export class SectionedFile {
  private constructor(
    readonly file: OpenFile,
    readonly sections: SectionEntry[],
  ) {}

  static open(path: string, magic: string, version: number, kinds: readonly SectionKind[]): SectionedFile {
    const file = OpenFile.open(path);
    const header = new Uint8Array(Math.min(file.size, headerBytes(kinds.length)));
    file.readInto(header, 0);
    return new SectionedFile(file, sectionTable(header.buffer, magic, version, [...kinds], path));
  }

  /** Section i read from its start, a piece at a time. */
  stream(i: number): SectionStream {
    return new SectionStream(this.file, this.sections[i]!);
  }
}

/**
 * One section of a file read front to back (`one`, `take`): a mebibyte at a time, or what one
 * `take` asks for when more. What `take` returns is a view of the stream's buffer, valid until the
 * stream's next call.
 */
export class SectionStream {
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private view: Section;
  /** The section's elements [from, to) are in the buffer; `at` is the next one to give. */
  private from = 0;
  private to = 0;
  private at = 0;

  constructor(
    private readonly file: OpenFile,
    readonly entry: SectionEntry,
  ) {
    this.view = sectionView(entry.kind, this.buffer, 0, 0);
  }

  /** Elements not given yet. */
  get left(): number {
    return this.entry.length - this.at;
  }

  /** The next element. */
  one(): number {
    if (this.at >= this.to) this.fill(1);
    return this.view[this.at++ - this.from]!;
  }

  /** The next `n` elements: a view valid until this stream's next call. */
  take(n: number): Section {
    const start = this.skip(n);
    return this.view.subarray(start, start + n);
  }

  /**
   * Passes the next `n` elements, returning where they start in `current` (valid until this
   * stream's next call): `take` without making a view, for a merge that reads millions of short runs.
   */
  skip(n: number): number {
    if (this.at + n > this.to) this.fill(n);
    const start = this.at - this.from;
    this.at += n;
    return start;
  }

  /** The stream's buffer, as elements of its section (see `skip`). */
  get current(): Section {
    return this.view;
  }

  /** Appends the next `n` elements to the section `writer` is writing, each plus `add` (see `SectionWriter.append`). */
  copyTo(writer: SectionWriter, n: number, add = 0): void {
    while (n > 0) {
      if (this.at === this.to) this.fill(1);
      const count = Math.min(n, this.to - this.at);
      writer.append(this.view, this.at - this.from, count, add);
      this.at += count;
      n -= count;
    }
  }

  /** Reads from `at` on: at least `n` elements, a mebibyte's worth when the section has them. */
  private fill(n: number): void {
    if (n > this.left) throw new RangeError(`${this.file.path}: ${n} elements asked for, ${this.left} left in the section`);
    const size = elementBytes(this.entry.kind);
    const count = Math.min(this.left, Math.max(n, Math.floor(PIECE_BYTES / size)));
    if (this.buffer.byteLength < count * size) this.buffer = new ArrayBuffer(count * size);
    this.file.readInto(new Uint8Array(this.buffer, 0, count * size), this.entry.offset + this.at * size);
    this.view = sectionView(this.entry.kind, this.buffer, 0, count);
    [this.from, this.to] = [this.at, this.at + count];
  }
}

/**
 * Writes an index file section after section, each a piece at a time (`write`), gathered a
 * mebibyte at a time; the header, which records where each section lies and how long it is, is
 * written last (`close`), at the start of the file, where room was left for it. The layout is the
 * one `allocateSections` makes: the same sections give the same bytes.
 *
 * @example
 *   const out = SectionWriter.create(file, "NQLEXIDX", 1, kinds);
 *   out.write(new Float64Array([average])); out.next(); … out.close();
 */
export class SectionWriter {
  private readonly gathered = Buffer.from(new ArrayBuffer(PIECE_BYTES));
  /** `gathered` as 32-bit elements: what `append` copies into (`used` is a multiple of 4 inside a 32-bit section). */
  private readonly gatheredU32 = new Uint32Array(this.gathered.buffer);
  private readonly gatheredF32 = new Float32Array(this.gathered.buffer);
  private used = 0;
  /** Bytes written to the file, plus those gathered: where the next byte goes. */
  private position: number;
  private readonly done: Array<{ kind: SectionKind; length: number; offset: number }> = [];
  /** The section being written: where it starts, how many bytes so far. */
  private start: number;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly magic: string,
    private readonly version: number,
    private readonly kinds: readonly SectionKind[],
  ) {
    this.position = this.start = align8(headerBytes(kinds.length));
  }

  static create(path: string, magic: string, version: number, kinds: readonly SectionKind[]): SectionWriter {
    return new SectionWriter(fs.openSync(path, "w"), magic, version, kinds);
  }

  /** The kind of the section being written. */
  private get kind(): SectionKind {
    const kind = this.kinds[this.done.length];
    if (kind === undefined) throw new RangeError(`every one of the ${this.kinds.length} sections is written`);
    return kind;
  }

  /** Appends elements to the section being written (of its kind). */
  write(values: Section): void {
    if (values.BYTES_PER_ELEMENT !== elementBytes(this.kind)) throw new TypeError(`section ${this.done.length} is of ${this.kind}, not of ${values.BYTES_PER_ELEMENT}-byte elements`);
    this.bytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /**
   * Appends `source[start … start + count)`, each plus `add` (32-bit unsigned sections only when
   * `add` is not 0), without making a view: a merge appends millions of short runs.
   */
  append(source: Section, start: number, count: number, add = 0): void {
    const size = source.BYTES_PER_ELEMENT;
    if (size !== elementBytes(this.kind)) throw new TypeError(`section ${this.done.length} is of ${this.kind}, not of ${size}-byte elements`);
    if (add !== 0 && this.kind !== "u32") throw new TypeError(`section ${this.done.length} is not of 32-bit unsigned integers`);
    if (size === 8) return this.bytes(new Uint8Array(source.buffer, source.byteOffset + 8 * start, 8 * count));
    const into = size === 1 ? this.gathered : source instanceof Float32Array ? this.gatheredF32 : this.gatheredU32;
    const shift = size === 4 ? 2 : 0;
    for (let i = start, end = start + count; i < end; ) {
      if (this.used === this.gathered.length) this.flush();
      const n = Math.min(end - i, (this.gathered.length - this.used) >>> shift);
      const at = this.used >>> shift;
      if (add === 0 && n > 64) into.set(source.subarray(i, i + n), at);
      else for (let k = 0; k < n; k++) into[at + k] = source[i + k]! + add;
      this.used += n << shift;
      this.position += n << shift;
      i += n;
    }
  }

  /** Ends the section being written and starts the next (on an 8-byte boundary). */
  next(): void {
    const kind = this.kind;
    const bytes = this.position - this.start;
    if (bytes % elementBytes(kind) !== 0) throw new RangeError(`section ${this.done.length} ends inside an element`);
    this.done.push({ kind, length: bytes / elementBytes(kind), offset: this.start });
    this.bytes(new Uint8Array(align8(this.position) - this.position));
    this.start = this.position;
  }

  /** Ends the last section (unless `next` did), writes the header and closes the file. */
  close(): void {
    if (this.done.length < this.kinds.length) this.next();
    if (this.done.length !== this.kinds.length) throw new RangeError(`${this.done.length} of ${this.kinds.length} sections written`);
    this.flush();
    const header = new DataView(new ArrayBuffer(headerBytes(this.kinds.length)));
    writeHeader(header, this.magic, this.version, this.done);
    fs.writeSync(this.fd, new Uint8Array(header.buffer), 0, header.byteLength, 0);
    this.abandon();
  }

  /** Closes the file without finishing it (after a failure: the caller removes it). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private bytes(data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      if (this.used === this.gathered.length) this.flush();
      const n = Math.min(data.length - i, this.gathered.length - this.used);
      this.gathered.set(data.subarray(i, i + n), this.used);
      this.used += n;
      this.position += n;
      i += n;
    }
  }

  private flush(): void {
    let written = 0;
    while (written < this.used) written += fs.writeSync(this.fd, this.gathered, written, this.used - written, this.position - this.used + written);
    this.used = 0;
  }
}

/** Appends the rest of a stream's section to the section being written, each element plus `add` (32-bit unsigned sections only when not 0). */
export function copySection(from: SectionStream, to: SectionWriter, add = 0): void {
  from.copyTo(to, from.left, add);
}
