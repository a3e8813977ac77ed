import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jaccard, jaccardAtLeast, RecentTrigrams, shingles, trigramJaccardAtLeast, Trigrams } from "../../src/text/similarity";

/** Short texts over a few words, so that they share trigrams often; some of one or two words. */
const text = fc
  .array(fc.constantFrom("Hà", "Nội", "hà", "nội", "mưa", "to", "3.500", "A", "b", "c", "Đêm"), { minLength: 0, maxLength: 12 })
  .chain((words) => fc.constantFrom(words.join(" "), words.join(", "), words.join("\n")));

describe("Trigrams", () => {
  it("numbers each text's shingles one to one: the same sizes, and every threshold test decided alike", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), fc.constantFrom(0, 0.3, 0.5, 0.75, 0.8, 1), (texts, threshold) => {
        const trigrams = new Trigrams();
        const numbered = texts.map((t) => trigrams.of(t));
        const named = texts.map(shingles);
        numbered.forEach((set, i) => expect(set.size).toBe(named[i]!.size));
        for (let i = 0; i < texts.length; i++) {
          for (let j = 0; j < texts.length; j++) {
            expect(trigramJaccardAtLeast(numbered[i]!, numbered[j]!, threshold)).toBe(jaccard(named[i]!, named[j]!) >= threshold);
          }
        }
      }),
    );
  });

  it("decides jaccardAtLeast as the whole count would, for any threshold, on long texts that share part of their words", () => {
    const words = fc.array(fc.integer({ min: 0, max: 30 }).map((w) => `w${w}`), { minLength: 0, maxLength: 80 });
    const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 30 })), { maxLength: 20 });
    fc.assert(
      fc.property(words, edits, fc.double({ min: 0, max: 1, noNaN: true }), (first, changes, threshold) => {
        const second = [...first];
        for (const [at, w] of changes) if (second.length > 0) second[at % second.length] = `w${w}`;
        const trigrams = new Trigrams();
        const [a, b] = [trigrams.of(first.join(" ")), trigrams.of(second.join(" "))];
        const expected = jaccard(shingles(first.join(" ")), shingles(second.join(" "))) >= threshold;
        expect(trigramJaccardAtLeast(a, b, threshold)).toBe(expected);
        expect(trigramJaccardAtLeast(b, a, threshold)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("tells a text of one or two words from the trigrams of others", () => {
    const trigrams = new Trigrams();
    const [one, two, three, other] = [trigrams.of("a"), trigrams.of("a a"), trigrams.of("a a a"), trigrams.of("a b")];
    const sharesAny = (x: typeof one, y: typeof one) => trigramJaccardAtLeast(x, y, Number.MIN_VALUE);
    expect(sharesAny(one, two)).toBe(false);
    expect(sharesAny(two, three)).toBe(false);
    expect(sharesAny(one, three)).toBe(false);
    expect(sharesAny(two, other)).toBe(false);
    expect(trigramJaccardAtLeast(two, trigrams.of("A, a"), 1)).toBe(true);
    expect(trigrams.of("").size).toBe(0);
  });

  it("keeps thousands of trigrams apart (a full table probes past collisions)", () => {
    const trigrams = new Trigrams();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i % 1700}`);
    const a = trigrams.of(words.join(" "));
    const b = trigrams.of(words.slice(2500).join(" "));
    const [sa, sb] = [shingles(words.join(" ")), shingles(words.slice(2500).join(" "))];
    expect(a.size).toBe(sa.size);
    expect(b.size).toBe(sb.size);
    const exact = jaccard(sa, sb);
    for (const threshold of [0, 0.1, 0.25, 0.3, 0.5, 1, exact, exact + 1e-12]) expect(trigramJaccardAtLeast(a, b, threshold)).toBe(exact >= threshold);
  });
});

describe("RecentTrigrams", () => {
  it("remembers a passage's set across questions, and sets of several questions compare as their shingles do", () => {
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0.3, 0.8, 1), (questions, threshold) => {
        const recent = new RecentTrigrams(64, 16);
        let made = 0;
        const sets = new Map<string, ReturnType<Trigrams["of"]>>();
        for (const texts of questions) {
          const of = recent.forQuestion();
          // Every set of this question compared with every other of it: one numbering within a question.
          const own = texts.map((t) => of(t, () => (made++, t)));
          texts.forEach((t, i) => sets.set(t, own[i]!));
          for (let i = 0; i < texts.length; i++) {
            for (let j = 0; j < texts.length; j++) {
              expect(trigramJaccardAtLeast(own[i]!, own[j]!, threshold)).toBe(jaccard(shingles(texts[i]!), shingles(texts[j]!)) >= threshold);
            }
          }
        }
        // At most one text made per distinct text while the numbering lasts (16 words: it may start over once or twice).
        expect(made).toBeLessThanOrEqual(new Set(questions.flat()).size * (1 + questions.length));
      }),
    );
  });

  it("makes a kept passage's set once, and starts over with the next question once its words outgrow the numbering", () => {
    const recent = new RecentTrigrams(8, 5);
    let made = 0;
    const first = recent.forQuestion();
    const a = first("a", () => (made++, "một hai ba bốn"));
    expect(first("a", () => (made++, "một hai ba bốn"))).toBe(a);
    expect(recent.forQuestion()("a", () => (made++, "một hai ba bốn"))).toBe(a);
    expect(made).toBe(1);
    first("b", () => (made++, "năm sáu")); // 6 words > 5
    expect(first("a", () => (made++, "x"))).toBe(a); // not within the question
    const next = recent.forQuestion();
    expect(recent.size).toBe(0);
    expect(next("a", () => (made++, "một hai ba bốn"))).not.toBe(a);
    expect(made).toBe(3);
  });
});

describe("jaccardAtLeast", () => {
  it("is jaccard(a, b) >= threshold", () => {
    const set = fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 12 }).map((xs) => new Set(xs));
    fc.assert(
      fc.property(set, set, fc.constantFrom(0.5, 0.8, 0.75, 1, 0.3), (a, b, threshold) => {
        expect(jaccardAtLeast(a, b, threshold)).toBe(jaccard(a, b) >= threshold);
      }),
      { numRuns: 2000 },
    );
  });

  it("holds at the boundary: 4 of 5 shared is 0.8", () => {
    expect(jaccardAtLeast(new Set([1, 2, 3, 4, 5]), new Set([1, 2, 3, 4]), 0.8)).toBe(true);
    expect(jaccardAtLeast(new Set([1, 2, 3, 4, 5]), new Set([1, 2, 3]), 0.8)).toBe(false);
  });
});
