import { describe, expect, it } from "vitest";
import { tokenizeRecent, tokensWithin } from "../../src/text/token-cache";
import { tokenize } from "../../src/text/vietnamese";
import { seeded } from "../helpers/seeded";

const PIECES = ["Hữu", "Lũng", "hòa", "3.5", "1,2", "2031", "NQ/TU", "kinh tế-văn hoá", ".", ",", " ", "\n", "Thủy", "kỹ", "v.v", "50.000", "!"];

describe("tokens of a slice taken from the whole text's", () => {
  it("equal tokenize(slice) (offsets shifted) whenever no token crosses the slice's ends", () => {
    const rng = seeded(5);
    let taken = 0;
    let crossed = 0;
    for (let n = 0; n < 400; n++) {
      const text = Array.from({ length: 1 + Math.floor(rng() * 30) }, () => PIECES[Math.floor(rng() * PIECES.length)]!).join(rng() < 0.5 ? " " : "");
      const all = tokenize(text);
      for (let s = 0; s < 10; s++) {
        const start = Math.floor(rng() * (text.length + 1));
        const end = start + Math.floor(rng() * (text.length - start + 1));
        const own = tokensWithin(all, start, end);
        if (own === null) {
          crossed++;
          continue;
        }
        taken++;
        const expected = tokenize(text.slice(start, end)).map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
        expect(own).toEqual(expected);
      }
    }
    expect(taken).toBeGreaterThan(1000);
    expect(crossed).toBeGreaterThan(100);
  });

  it("remembers a text's tokens: the same array, equal to tokenize's", () => {
    const text = "Thủ tướng thăm Hữu Lũng ngày 3.5.";
    const first = tokenizeRecent(text);
    expect(first).toEqual(tokenize(text));
    expect(tokenizeRecent(text)).toBe(first);
  });
});
