import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { poolRows } from "../../src/embed";

/** [rows, width, size] hidden states from per-token vectors, right-padded with `pad`. */
function hiddenOf(rows: number[][][], width: number, size: number, pad: number): Float32Array {
  const data = new Float32Array(rows.length * width * size).fill(pad);
  rows.forEach((tokens, r) => tokens.forEach((vector, k) => data.set(vector, (r * width + k) * size)));
  return data;
}

describe("poolRows", () => {
  it("averages only a row's real tokens (padding carries any value)", () => {
    const hidden = hiddenOf([[[1, 0], [3, 0]], [[4, 8]]], 2, 2, 99);
    expect(poolRows(hidden, 2, 2, [2, 1], "mean", false)).toEqual([Float32Array.of(2, 0), Float32Array.of(4, 8)]);
  });

  it("takes the first token for cls pooling", () => {
    const hidden = hiddenOf([[[1, 2], [3, 4]]], 2, 2, 0);
    expect(poolRows(hidden, 2, 2, [2], "cls", false)).toEqual([Float32Array.of(1, 2)]);
  });

  it("returns unit vectors in buffers of their own; a zero vector stays zero", () => {
    const hidden = hiddenOf([[[3, 4]], [[0, 0]]], 1, 2, 0);
    const [a, b] = poolRows(hidden, 2, 1, [1, 1], "mean", true);
    expect(Array.from(a!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from(b!)).toEqual([0, 0]);
    expect(a!.buffer).not.toBe(b!.buffer);
  });

  it("gives a row the same vector whatever the batch's width (padding never leaks in)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (tokens, extra) => {
          const alone = poolRows(hiddenOf([tokens], tokens.length, 3, 0), 3, tokens.length, [tokens.length], "mean", true)[0]!;
          const width = tokens.length + extra;
          const padded = poolRows(hiddenOf([tokens], width, 3, 7), 3, width, [tokens.length], "mean", true)[0]!;
          expect(Array.from(padded)).toEqual(Array.from(alone));
        },
      ),
    );
  });
});
