import { describe, expect, it } from "vitest";
import { passagePieces, poolRange, sentenceRanges } from "../../src/embed";

const SPECIAL = { bos: [0], eos: [2] };

describe("passagePieces", () => {
  it("cuts a passage at its sentences, keeping what stands between them as pieces of no sentence", () => {
    const text = "Title\nOne two. Three four.";
    const pieces = passagePieces({ text, sentences: [{ start: 6, end: 14 }, { start: 15, end: 26 }] });
    expect(pieces).toEqual([
      { text: "Title\n", sentence: -1 },
      { text: "One two.", sentence: 0 },
      { text: " ", sentence: -1 },
      { text: "Three four.", sentence: 1 },
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
  });
});

describe("sentenceRanges", () => {
  it("places each sentence's pieces among the passage's ids", () => {
    // <s> title | s0 s0 | s1 </s>
    expect(sentenceRanges([0, 9, 5, 6, 7, 2], [[9], [5, 6], [], [7]], [-1, 0, -1, 1], 2, SPECIAL)).toEqual([[2, 4], [4, 5]]);
  });

  it("refuses when the pieces do not add up to the passage's ids (a boundary tokenised differently)", () => {
    expect(sentenceRanges([0, 9, 56, 7, 2], [[9], [5, 6], [7]], [-1, 0, 1], 2, SPECIAL)).toBeNull();
    expect(sentenceRanges([0, 9, 5, 6, 7, 8, 2], [[9], [5, 6], [7]], [-1, 0, 1], 2, SPECIAL)).toBeNull();
  });

  it("gives no range to a sentence the model's window cut (the passage's ids end inside or right after it)", () => {
    // Cut after 4 ids: s0 whole, s1 cut (no closing token follows).
    expect(sentenceRanges([0, 9, 5, 6], [[9], [5], [6, 7]], [-1, 0, 1], 2, SPECIAL)).toEqual([[2, 3], null]);
    expect(sentenceRanges([0, 9, 5], [[9], [5], [6]], [-1, 0, 1], 2, SPECIAL)).toEqual([null, null]);
  });
});

describe("poolRange", () => {
  it("averages a row's tokens from..to−1, then normalises", () => {
    // Two rows of width 3, size 2.
    const hidden = Float32Array.of(1, 0, 3, 0, 9, 9, /* row 1 */ 0, 2, 0, 4, 5, 5);
    expect(poolRange(hidden, 2, 3, 0, [1, 3], false)).toEqual(Float32Array.of(6, 4.5));
    expect(poolRange(hidden, 2, 3, 1, [0, 2], false)).toEqual(Float32Array.of(0, 3));
    expect(Array.from(poolRange(hidden, 2, 3, 1, [0, 2], true))).toEqual([0, 1]);
  });
});
