import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dequantizeQ4Rows, fp16ToFp32, fp32ToFp16, quantizeQ4, unpackQ4Rows } from "../../src/model/q4";

/** One Q4_0 block by hand: fp16 scale, then byte j = weight j (low nibble) | weight j + 16 (high). */
function block(scaleBits: number, nibbles: number[]): Uint8Array {
  const out = new Uint8Array(18);
  out[0] = scaleBits & 0xff;
  out[1] = scaleBits >> 8;
  for (let j = 0; j < 16; j++) out[2 + j] = nibbles[j]! | (nibbles[j + 16]! << 4);
  return out;
}

describe("fp16", () => {
  it("decodes normal, subnormal, zero, infinite and NaN halves", () => {
    expect(fp16ToFp32(0x3c00)).toBe(1);
    expect(fp16ToFp32(0xc000)).toBe(-2);
    expect(fp16ToFp32(0x3800)).toBe(0.5);
    expect(fp16ToFp32(0x7bff)).toBe(65504);
    expect(fp16ToFp32(0x0001)).toBe(2 ** -24);
    expect(fp16ToFp32(0x8000)).toBe(-0);
    expect(fp16ToFp32(0x7c00)).toBe(Infinity);
    expect(fp16ToFp32(0x7e00)).toBeNaN();
  });

  it("encodes every finite half back to its own bits", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exponent = (bits >> 10) & 0x1f;
      if (exponent === 31 || bits === 0x8000) continue;
      expect(fp32ToFp16(fp16ToFp32(bits))).toBe(bits);
    }
  });
});

describe("Q4_0 dequantisation", () => {
  it("turns a known block into (q - 8) * scale, low nibbles first, exactly", () => {
    const nibbles = Array.from({ length: 32 }, (_, j) => j % 16);
    const out = dequantizeQ4Rows(block(0x3800, nibbles), 32, 0, 1); // scale 0.5
    expect(Array.from(out)).toEqual(nibbles.map((q) => (q - 8) * 0.5));
  });

  it("puts byte j's high nibble at position j + 16", () => {
    const nibbles = new Array<number>(32).fill(8);
    nibbles[16] = 15; // stored in byte 0's high nibble
    const raw = block(0x3c00, nibbles);
    expect(raw[2]).toBe(0xf8);
    const out = dequantizeQ4Rows(raw, 32, 0, 1);
    expect(out[16]).toBe(7);
    expect(out[0]).toBe(0);
  });

  it("reads the requested rows of a matrix", () => {
    const rows = [block(0x3c00, new Array(32).fill(9)), block(0x4000, new Array(32).fill(7))];
    const data = new Uint8Array([...rows[0]!, ...rows[1]!]);
    expect(Array.from(dequantizeQ4Rows(data, 32, 1, 1))).toEqual(new Array(32).fill(-2));
  });

  it("unpacks the same integers and scales it dequantises", () => {
    const nibbles = Array.from({ length: 32 }, (_, j) => (j * 7) % 16);
    const raw = block(0x3a00, nibbles);
    const { values, scales } = unpackQ4Rows(raw, 32, 0, 1);
    const dequantised = dequantizeQ4Rows(raw, 32, 0, 1);
    values.forEach((v, j) => expect(v * scales[0]!).toBe(dequantised[j]));
  });

  it("quantise then dequantise stays within one step of the input (half a step, except at the clamped end)", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 64, maxLength: 64 }), (values) => {
        const input = Float32Array.from(values);
        const output = dequantizeQ4Rows(quantizeQ4(input, 32), 32, 0, 2);
        for (let b = 0; b < 2; b++) {
          const slice = input.subarray(b * 32, b * 32 + 32);
          const step = Math.max(...slice.map(Math.abs)) / 8;
          // The block's scale is stored as fp16: below its subnormal spacing (2^-24) it rounds
          // absolutely, by up to 2^-25, and each of up to 8 codes carries that error.
          const fp16Slack = 8 * 2 ** -25;
          slice.forEach((v, j) => expect(Math.abs(output[b * 32 + j]! - v)).toBeLessThanOrEqual(step * (1 + 1e-3) + fp16Slack));
        }
      }),
      { numRuns: 50 },
    );
  });
});
