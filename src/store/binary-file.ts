import fs from "node:fs/promises";
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

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * A zeroed file buffer with sections of these kinds and lengths, and a view of each to fill in
 * place (a builder writes its postings straight into the file's buffer: no second copy).
 */
export function allocateSections(
  magic: string,
  version: number,
  specs: Array<{ kind: SectionKind; length: number }>,
): { buffer: ArrayBuffer; sections: Section[] } {
  if (magic.length !== 8) throw new RangeError(`a magic is 8 ASCII characters, got "${magic}"`);
  let at = align8(16 + specs.length * 16);
  const offsets = specs.map(({ kind, length }) => {
    const offset = at;
    at = align8(at + length * KINDS[kind].bytes);
    return offset;
  });
  const buffer = new ArrayBuffer(at);
  const header = new DataView(buffer);
  for (let i = 0; i < 8; i++) header.setUint8(i, magic.charCodeAt(i));
  header.setUint32(8, version, true);
  header.setUint32(12, specs.length, true);
  specs.forEach(({ kind, length }, i) => {
    header.setUint32(16 + i * 16, KINDS[kind].code, true);
    header.setUint32(20 + i * 16, length, true);
    header.setFloat64(24 + i * 16, offsets[i]!, true);
  });
  return { buffer, sections: specs.map(({ kind, length }, i) => KINDS[kind].make(buffer, offsets[i]!, length)) };
}

/**
 * Views of the sections of a file buffer (see the module comment), which must be of the kinds
 * `expected` lists, in order.
 * @throws IndexError when the buffer is not such a file (another magic, version or layout, or cut short)
 */
export function readSections(buffer: ArrayBuffer, magic: string, version: number, expected: SectionKind[], name: string): Section[] {
  const refuse = (why: string) => new IndexError(`${name} is not a readable index file (${why})`);
  if (buffer.byteLength < 16) throw refuse("too short");
  const header = new DataView(buffer);
  const found = String.fromCharCode(...new Uint8Array(buffer, 0, 8));
  if (found !== magic) throw refuse(`magic "${found}", expected "${magic}"`);
  if (header.getUint32(8, true) !== version) throw refuse(`version ${header.getUint32(8, true)}, expected ${version}`);
  if (header.getUint32(12, true) !== expected.length) throw refuse(`${header.getUint32(12, true)} sections, expected ${expected.length}`);
  if (buffer.byteLength < 16 + expected.length * 16) throw refuse("cut short");
  return expected.map((kind, i) => {
    const code = header.getUint32(16 + i * 16, true);
    const length = header.getUint32(20 + i * 16, true);
    const offset = header.getFloat64(24 + i * 16, true);
    if (code !== KINDS[kind].code) throw refuse(`section ${i} is of kind ${code}, expected ${KINDS[kind].code}`);
    if (offset % 8 !== 0 || offset + length * KINDS[kind].bytes > buffer.byteLength) throw refuse(`section ${i} lies outside the file`);
    return KINDS[kind].make(buffer, offset, length);
  });
}

/**
 * A whole file in a buffer of its own (so that it starts 8-byte aligned, which typed-array views
 * need): read straight into it, not copied from a pooled or offset Buffer.
 */
export async function readAligned(file: string): Promise<ArrayBuffer> {
  const handle = await fs.open(file, "r");
  try {
    const { size } = await handle.stat();
    const buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) throw new IndexError(`${file} ended after ${at} of its ${size} bytes`);
      at += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}
