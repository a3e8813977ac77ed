import { describe, expect, it } from "vitest";
import { PackedTokens, RECENT_TEXTS, tokenizeRecent, tokensWithin } from "../../src/text/token-cache";
import { tokenize, type Token } from "../../src/text/vietnamese";
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

describe("packed tokens", () => {
  const counting = () => {
    const calls: string[] = [];
    return { calls, tokenizeText: (text: string): Token[] => (calls.push(text), tokenize(text)) };
  };
  const texts = ["Thủ tướng thăm Hữu Lũng ngày 3.5.", "Ông Sa, 45 tuổi, ở xã Ia Phí (NQ/TU).", "kinh tế-văn hoá hòa hoà", ""];

  it("gives tokenize's tokens, fresh objects each time, without tokenizing a kept text again", () => {
    const { calls, tokenizeText } = counting();
    const packed = new PackedTokens(2 ** 20, tokenizeText);
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const tokens = packed.tokens(text);
        expect(tokens).toEqual(tokenize(text));
        expect(packed.tokens(text)).not.toBe(tokens);
      }
    }
    expect(calls).toEqual(texts);
  });

  it("numbers each term once: a text's numbers are its terms'", () => {
    const packed = new PackedTokens(2 ** 20);
    for (const text of texts) {
      const { terms, starts, ends } = packed.packed(text);
      const tokens = tokenize(text);
      expect([...terms]).toEqual(tokens.map((t) => packed.numberOf(t.term)));
      expect([...starts]).toEqual(tokens.map((t) => t.start));
      expect([...ends]).toEqual(tokens.map((t) => t.end));
    }
    expect(packed.numberOf("hữu")).toBeGreaterThanOrEqual(0);
    expect(packed.numberOf("zorvania")).toBe(-1);
    expect(new Set(texts.flatMap((t) => tokenize(t).map((x) => x.term))).size).toBe(packed.termCount);
  });

  it("keeps texts up to its bytes (12 a token), the least recent dropped first", () => {
    const { calls, tokenizeText } = counting();
    const packed = new PackedTokens(12 * 8, tokenizeText); // 8 tokens
    packed.tokens("một hai ba bốn năm"); // 5 tokens
    packed.tokens("sáu bảy"); // 7
    packed.tokens("tám chín"); // 9 > 8: the first goes
    expect(packed.size).toBe(2);
    packed.tokens("sáu bảy");
    packed.tokens("một hai ba bốn năm");
    expect(calls).toEqual(["một hai ba bốn năm", "sáu bảy", "tám chín", "một hai ba bốn năm"]);
  });

  it("starts its numbering again when the terms outgrow the table, and says so", () => {
    const packed = new PackedTokens(2 ** 20, tokenize, 6);
    const first = packed.packed("một hai ba bốn");
    expect(packed.generation).toBe(0);
    packed.packed("năm sáu bảy"); // 4 + 3 > 6
    expect(packed.generation).toBe(1);
    expect(packed.termCount).toBe(3);
    expect(packed.numberOf("một")).toBe(-1);
    const again = packed.packed("một hai ba bốn");
    expect(again).not.toBe(first);
    expect([...again.terms].map((n) => n)).toEqual(["một", "hai", "ba", "bốn"].map((t) => packed.numberOf(t)));
    expect(packed.tokens("một hai ba bốn")).toEqual(tokenize("một hai ba bốn"));
  });

  it("serves tokenizeRecent beyond its last texts", () => {
    // Past RECENT_TEXTS other texts the token objects are gone, and come back from the packed tokens.
    const text = "Một văn bản được đọc lại sau nhiều bài khác: 12.500 người.";
    const first = tokenizeRecent(text);
    for (let i = 0; i <= RECENT_TEXTS; i++) tokenizeRecent(`bài số ${i} khác`);
    const again = tokenizeRecent(text);
    expect(again).not.toBe(first);
    expect(again).toEqual(tokenize(text));
  });
});

