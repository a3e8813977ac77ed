import fsSync from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import { IndexError } from "../domain/errors";

/**
 * The container of the index's binary files (lexical indexes, chunk tables): a small header,
 * then typed-array sections, each starting on an 8-byte boundary, so that loading a file is one
 * read into one buffer and one view per section: no parsing, no per-term or per-chunk objects.
 *
 *   bytes 0-7    magic (ASCII, names what the file holds)
 *   bytes 8-11   version of that file kind (uint32, little-endian like everything else)
 *   bytes 12-15  number of sections S
 *   then S × 16  per section: kind (uint32: 1 uint8, 2 uint32, 3 float32, 4 float64), length in
 *                elements (uint32), byte offset (float64: exact up to 2^53)
 *   then         the sections, each padded to a multiple of 8 bytes
 *
 * The reader checks the magic, the version and that the sections are of the kinds it expects:
 * a file of another kind or version is refused, never misread.
 */
export type Section = Uint8Array | Uint32Array | Float32Array | Float64Array;
export type SectionKind = "u8" | "u32" | "f32" | "f64";

const KINDS: Record<SectionKind, { code: number; make: (buffer: ArrayBuffer, offset: number, length: number) => Section; bytes: number }> = {
  u8: { code: 1, make: (b, o, n) => new Uint8Array(b, o, n), bytes: 1 },
  u32: { code: 2, make: (b, o, n) => new Uint32Array(b, o, n), bytes: 4 },
  f32: { code: 3, make: (b, o, n) => new Float32Array(b, o, n), bytes: 4 },
  f64: { code: 4, make: (b, o, n) => new Float64Array(b, o, n), bytes: 8 },
};

export const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * A zeroed file buffer with sections of these kinds and lengths, and a view of each to fill in
 * place (a builder writes its postings straight into the file's buffer: no second copy).
 */
export function allocateSections(
  magic: string,
  version: number,
  specs: Array<{ kind: SectionKind; length: number }>,
): { buffer: ArrayBuffer; sections: Section[] } {
  let at = align8(16 + specs.length * 16);
  const offsets = specs.map(({ kind, length }) => {
    const offset = at;
    at = align8(at + length * KINDS[kind].bytes);
    return offset;
  });
  const buffer = new ArrayBuffer(at);
  writeHeader(new DataView(buffer), magic, version, specs.map((spec, i) => ({ ...spec, offset: offsets[i]! })));
  return { buffer, sections: specs.map(({ kind, length }, i) => KINDS[kind].make(buffer, offsets[i]!, length)) };
}

/** Writes a file's header (magic, version, section table) at the start of `header` (`headerBytes` of the sections long at least). */
export function writeHeader(header: DataView, magic: string, version: number, sections: Array<{ kind: SectionKind; length: number; offset: number }>): void {
  if (magic.length !== 8) throw new RangeError(`a magic is 8 ASCII characters, got "${magic}"`);
  for (let i = 0; i < 8; i++) header.setUint8(i, magic.charCodeAt(i));
  header.setUint32(8, version, true);
  header.setUint32(12, sections.length, true);
  sections.forEach(({ kind, length, offset }, i) => {
    header.setUint32(16 + i * 16, KINDS[kind].code, true);
    header.setUint32(20 + i * 16, length, true);
    header.setFloat64(24 + i * 16, offset, true);
  });
}

/** Bytes per element of a section kind. */
export const elementBytes = (kind: SectionKind) => KINDS[kind].bytes;

/** A view of `length` elements of a section kind over `buffer` from byte `offset` (which must suit the kind's alignment). */
export const sectionView = (kind: SectionKind, buffer: ArrayBuffer, offset: number, length: number): Section => KINDS[kind].make(buffer, offset, length);

/** Where a section lies in its file. */
export interface SectionEntry {
  kind: SectionKind;
  /** In elements. */
  length: number;
  /** In bytes from the start of the file. */
  offset: number;
  byteLength: number;
}

/**
 * The section table of a file, from a buffer holding at least its header; the sections must be
 * of the kinds `expected` lists, in order.
 * @throws IndexError when the buffer is not such a file (another magic, version or layout)
 */
export function sectionTable(buffer: ArrayBuffer, magic: string, version: number, expected: SectionKind[], name: string): SectionEntry[] {
  if (buffer.byteLength < 16) throw refusal(name, "too short");
  const header = new DataView(buffer);
  const found = String.fromCharCode(...new Uint8Array(buffer, 0, 8));
  if (found !== magic) throw refusal(name, `magic "${found}", expected "${magic}"`);
  if (header.getUint32(8, true) !== version) throw refusal(name, `version ${header.getUint32(8, true)}, expected ${version}`);
  if (header.getUint32(12, true) !== expected.length) throw refusal(name, `${header.getUint32(12, true)} sections, expected ${expected.length}`);
  if (buffer.byteLength < headerBytes(expected.length)) throw refusal(name, "cut short");
  return expected.map((kind, i) => {
    const code = header.getUint32(16 + i * 16, true);
    if (code !== KINDS[kind].code) throw refusal(name, `section ${i} is of kind ${code}, expected ${KINDS[kind].code}`);
    const length = header.getUint32(20 + i * 16, true);
    const offset = header.getFloat64(24 + i * 16, true);
    if (offset % 8 !== 0) throw refusal(name, `section ${i} is not aligned`);
    return { kind, length, offset, byteLength: length * KINDS[kind].bytes };
  });
}

/** The bytes of a header of S sections: what to read first to know where the sections lie. */
export const headerBytes = (sections: number) => 16 + sections * 16;

/** A view of one section in a buffer holding the file from its start (at least up to the section's end). */
export function viewSection(buffer: ArrayBuffer, entry: SectionEntry, name: string): Section {
  if (entry.offset + entry.byteLength > buffer.byteLength) throw refusal(name, "a section lies outside the file");
  return KINDS[entry.kind].make(buffer, entry.offset, entry.length);
}

/**
 * Views of the sections of a whole file's buffer (see the module comment), which must be of the
 * kinds `expected` lists, in order.
 * @throws IndexError when the buffer is not such a file (another magic, version or layout, or cut short)
 */
export function readSections(buffer: ArrayBuffer, magic: string, version: number, expected: SectionKind[], name: string): Section[] {
  return sectionTable(buffer, magic, version, expected, name).map((entry) => viewSection(buffer, entry, name));
}

const refusal = (name: string, why: string) => new IndexError(`${name} is not a readable index file (${why})`);

/**
 * A file's first `bytes` bytes (the whole file by default) in a buffer of its own (so that it
 * starts 8-byte aligned, which typed-array views need): read straight into it, not copied from a
 * pooled or offset Buffer.
 */
export async function readAligned(file: string, bytes?: number): Promise<ArrayBuffer> {
  const handle = await fs.open(file, "r");
  try {
    const size = Math.min(bytes ?? Infinity, (await handle.stat()).size);
    const buffer = new ArrayBuffer(size);
    await readFully(handle, new Uint8Array(buffer), 0, (at) => new IndexError(`${file} ended after ${at} of its ${size} bytes`));
    return buffer;
  } finally {
    await handle.close();
  }
}

/**
 * Some sections of an open file in one buffer of their own, and a view of each (in the order
 * given, which must be the file's). The buffer is laid out as the file is, less the sections left
 * out, so a run of sections adjacent in the file is one read: what a load keeps, without the
 * sections it takes from elsewhere (`sectionsEqual`).
 * @throws IndexError when a section lies past the end of the file
 */
export async function readSectionsAt(handle: FileHandle, entries: SectionEntry[], name: string): Promise<Section[]> {
  const size = (await handle.stat()).size;
  const at: number[] = [];
  let end = 0;
  for (const entry of entries) {
    if (entry.offset + entry.byteLength > size) throw refusal(name, "cut short");
    at.push(end);
    end = align8(end + entry.byteLength);
  }
  const buffer = new ArrayBuffer(end);
  for (let i = 0; i < entries.length; ) {
    // The run of sections from i on that lie in the file as they lie in the buffer.
    let j = i + 1;
    while (j < entries.length && entries[j]!.offset - entries[i]!.offset === at[j]! - at[i]!) j++;
    const last = entries[j - 1]!;
    await readFully(handle, new Uint8Array(buffer, at[i]!, at[j - 1]! - at[i]! + last.byteLength), entries[i]!.offset, () => refusal(name, "cut short"));
    i = j;
  }
  return entries.map((entry, i) => KINDS[entry.kind].make(buffer, at[i]!, entry.length));
}

/** How much of a section `sectionsEqual` reads at a time. */
const COMPARED_BYTES = 1 << 20;

/**
 * Whether each section of an open file holds the same bytes as the section in memory paired with
 * it, read a mebibyte at a time into one scratch buffer and compared as it comes: no buffer of a
 * section's size is allocated, and the first difference ends the reading of that section.
 */
export async function sectionsEqual(handle: FileHandle, pairs: Array<{ entry: SectionEntry; section: Section }>, name: string): Promise<boolean[]> {
  const scratch = Buffer.allocUnsafe(Math.min(COMPARED_BYTES, Math.max(0, ...pairs.map(({ entry }) => entry.byteLength))));
  const equal: boolean[] = [];
  for (const { entry, section } of pairs) {
    let same = entry.kind === kindOf(section) && entry.byteLength === section.byteLength;
    const expected = Buffer.from(section.buffer, section.byteOffset, section.byteLength);
    for (let at = 0; same && at < entry.byteLength; at += scratch.length) {
      const piece = scratch.subarray(0, Math.min(scratch.length, entry.byteLength - at));
      await readFully(handle, piece, entry.offset + at, () => refusal(name, "cut short"));
      same = piece.equals(expected.subarray(at, at + piece.length));
    }
    equal.push(same);
  }
  return equal;
}

const kindOf = (section: Section): SectionKind =>
  section instanceof Uint8Array ? "u8" : section instanceof Uint32Array ? "u32" : section instanceof Float32Array ? "f32" : "f64";

/** Fills `target` with a file's bytes from `position` on; `short(bytes read)` is thrown when the file ends first. */
async function readFully(handle: FileHandle, target: Uint8Array, position: number, short: (read: number) => Error): Promise<void> {
  for (let at = 0; at < target.length; ) {
    const { bytesRead } = await handle.read(target, at, target.length - at, position + at);
    if (bytesRead === 0) throw short(at);
    at += bytesRead;
  }
}

/** Closes a file once nothing can read from it any more. */
const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => fsSync.close(fd, () => undefined));

/**
 * A file kept open to read parts of it synchronously (searches and quotes are synchronous), at
 * their byte positions. Opened when a segment is loaded, closed by the collector once nothing
 * holds it: a segment loaded from one version folder is reused by the next versions, and that
 * first folder may be removed meanwhile (versions are pruned to two), which an open descriptor
 * survives and a path would not.
 */
export class OpenFile {
  private constructor(
    private readonly fd: number,
    readonly path: string,
    /** In bytes, when opened. */
    readonly size: number,
  ) {
    closeWhenUnreachable.register(this, fd);
  }

  static open(file: string): OpenFile {
    const fd = fsSync.openSync(file, "r");
    return new OpenFile(fd, file, fsSync.fstatSync(fd).size);
  }

  /** Fills `target` with the bytes from `position` on. */
  readInto(target: Uint8Array, position: number): void {
    for (let at = 0; at < target.length; ) {
      const read = fsSync.readSync(this.fd, target, at, target.length - at, position + at);
      if (read === 0) throw new IndexError(`${this.path} ended before byte ${position + target.length}`);
      at += read;
    }
  }
}
