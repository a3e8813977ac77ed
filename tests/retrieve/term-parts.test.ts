import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TermParts } from "../../src/retrieve/term-parts";
import { PAIR_JOINER } from "../../src/text/vietnamese";

/** What `TermParts.distinct` stands for: split every term, map every part, keep each number once in a Set. */
function reference(terms: string[], of: (part: string) => number): number[] {
  const found = new Set<number>();
  for (const term of terms) for (const part of term.split(PAIR_JOINER)) if (of(part) >= 0) found.add(of(part));
  return [...found];
}

describe("TermParts", () => {
  it("gives each number once, in the order first met, call after call (as a Set per call would)", () => {
    const syllable = fc.constantFrom("hà", "nội", "ha", "noi", "mưa", "là", "gì", "x");
    const term = fc.oneof(syllable, fc.tuple(syllable, syllable).map(([a, b]) => `${a}${PAIR_JOINER}${b}`));
    // Numbers up to 40: more than the initial flags hold, so that they grow.
    const numbering = fc.dictionary(syllable, fc.integer({ min: -1, max: 40 }));
    fc.assert(
      fc.property(numbering, fc.array(fc.array(term, { maxLength: 10 }), { maxLength: 8 }), (numbers, calls) => {
        const of = (part: string) => numbers[part] ?? -1;
        const parts = new TermParts(of);
        for (const terms of calls) expect(parts.distinct(terms)).toEqual(reference(terms, of));
      }),
    );
  });

  it("asks what a part stands for once per distinct term", () => {
    const asked: string[] = [];
    const parts = new TermParts((part) => (asked.push(part), part.length));
    parts.distinct([`ab${PAIR_JOINER}c`, "ab"]);
    parts.distinct([`ab${PAIR_JOINER}c`]);
    expect(asked).toEqual(["ab", "c", "ab"]);
  });
});
