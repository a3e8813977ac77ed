import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../src/store/sorted-terms";
import { runBetween, termCount, TermIds, type TermRun } from "../../src/store/term-ids";
import { fold, indexTerms, tokenize } from "../../src/text/vietnamese";
import { seeded } from "../helpers/seeded";

const PIECES = ["Hữu", "Lũng", "hòa", "hoà", "HUU", "3.5", "1,2", "2031", "NQ/TU", "kinh tế-văn hoá", ".", ",", " ", "  ", "\n", "Thủy", "kỹ", "kĩ", "v.v", "50.000", "!", "_", "a_b"];
/** Letters beyond U+FFFF (surrogate pairs) and a letter above U+E000: where code-unit order is not byte order. */
const ASTRAL = ["𝐀𝐁", "𠀀", "ﬀ", "😀"];

function randomText(rng: () => number, pieces: string[]): string {
  return Array.from({ length: 1 + Math.floor(rng() * 25) }, () => pieces[Math.floor(rng() * pieces.length)]!).join(rng() < 0.6 ? " " : "");
}

/** A run's terms as `indexTerms` lists them: its syllables, then its pairs. */
function termsOf(ids: TermIds, run: TermRun): string[] {
  const pairs = [...run.pairs.subarray(1)].filter((id) => id >= 0);
  return [...run.syllables, ...pairs].map((id) => ids.termOf(id));
}

describe("TermIds", () => {
  it("gives a text the terms indexTerms gives, in its order, one id per distinct term", () => {
    const rng = seeded(3);
    const ids = new TermIds();
    const seen = new Map<string, number>();
    for (let n = 0; n < 500; n++) {
      const text = randomText(rng, [...PIECES, ...ASTRAL]);
      const { run, starts, ends } = ids.tokenise(text);
      expect(termsOf(ids, run)).toEqual(indexTerms(text));
      expect(termCount(run)).toBe(indexTerms(text).length);
      expect([...starts].map((start, i) => ({ start, end: ends[i] }))).toEqual(tokenize(text).map(({ start, end }) => ({ start, end })));
      const pairs = [...run.pairs.subarray(1)].filter((id) => id >= 0);
      for (const id of [...run.syllables, ...pairs]) {
        const term = ids.termOf(id);
        expect(seen.get(term) ?? id).toBe(id);
        seen.set(term, id);
      }
      expect([...run.syllables].some((id) => ids.isPair(id))).toBe(false);
      expect(pairs.every((id) => ids.isPair(id))).toBe(true);
    }
    expect(seen.size).toBe(ids.size);
  });

  it("keeps every pair's id while its table grows", () => {
    const ids = new TermIds();
    const syllables = Array.from({ length: 300 }, (_, i) => ids.syllable(`s${i}`));
    const pairs = new Map<string, number>();
    for (const a of syllables) for (let k = 0; k < 100; k++) pairs.set(`${a},${syllables[(a * 7 + k) % 300]}`, ids.pair(a, syllables[(a * 7 + k) % 300]!));
    expect(new Set(pairs.values()).size).toBe(pairs.size);
    for (const [key, id] of pairs) {
      const [a, b] = key.split(",").map(Number) as [number, number];
      expect(ids.pair(a, b)).toBe(id);
      expect(ids.isPair(id)).toBe(true);
      expect(ids.termOf(id)).toBe(`s${a}_s${b}`);
    }
    expect(ids.size).toBe(300 + pairs.size);
    expect(ids.isPair(syllables[5]!)).toBe(false);
  });

  it.each([
    ["without characters beyond U+FFFF", PIECES],
    ["with them (code-unit order differs)", [...PIECES, ...ASTRAL]],
  ])("orders its terms and folded forms by UTF-8 bytes, %s", (_, pieces) => {
    const rng = seeded(11);
    const ids = new TermIds();
    for (let n = 0; n < 300; n++) ids.tokenise(randomText(rng, pieces));
    const order = ids.order();
    const sorted = Array.from(order.byRank, (id) => ids.termOf(id));
    expect(order.byRank.length).toBe(ids.size);
    expect(new Set(order.byRank).size).toBe(ids.size);
    for (let r = 1; r < sorted.length; r++) expect(compareCodePoints(sorted[r - 1]!, sorted[r]!)).toBeLessThan(0);
    for (let r = 1; r < order.foldedTexts.length; r++) expect(compareCodePoints(order.foldedTexts[r - 1]!, order.foldedTexts[r]!)).toBeLessThan(0);
    for (let id = 0; id < ids.size; id++) expect(order.foldedTexts[order.folded[id]!]).toBe(fold(ids.termOf(id)));
    expect(new Set(order.foldedTexts)).toEqual(new Set(sorted.map(fold)));
    // Remembered until an id is added.
    expect(ids.order()).toBe(order);
    ids.syllable("mới");
    expect(ids.order().byRank.length).toBe(order.byRank.length + 1);
  });

  it("cuts a run between two tokens without its pair across the cut", () => {
    const ids = new TermIds();
    const { run } = ids.tokenise("mưa to gió lớn");
    const part = runBetween(run, 1, 3);
    expect(termsOf(ids, part)).toEqual(["to", "gió", "to_gió"]);
    expect(termCount(part)).toBe(3);
  });
});
