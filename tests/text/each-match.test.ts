import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eachMatch } from "../../src/text/each-match";

const matches = (text: string, pattern: RegExp) => {
  const found: Array<[number, number]> = [];
  eachMatch(text, pattern, (start, length) => found.push([start, length]));
  return found;
};

describe("eachMatch", () => {
  // Patterns that match nothing, words, digits, or the empty string (unicode or not), over text
  // with astral letters: what matchAll would find, every time (lastIndex left at 0).
  const patterns = [/\d+/g, /[\p{L}\p{N}]+/gu, /(?<![\p{L}])b|x*/giu, /x*/g, /(?:)/gu, /ngày \d{1,2}/giu, /z/g];
  const text = fc.array(fc.constantFrom("a", "B", "1", "23", " ", "ngày 5", "Ngày", "😀", "𝐀", "x", "\ud800", "."), { maxLength: 20 }).map((u) => u.join(""));

  it("visits what matchAll finds, in order, and leaves lastIndex at 0", () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...patterns), (t, pattern) => {
        expect(matches(t, pattern)).toEqual([...t.matchAll(pattern)].map((m) => [m.index, m[0].length]));
        expect(pattern.lastIndex).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});
