import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { couldBeSyllable, nfc, spellingKey, syllables, tokenize, wordsOf, type Token } from "../../src/text/vietnamese";

/** What `tokenize` scans by hand, as the regular expression it stands for. */
function tokenizeByRegex(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu)].map((m) => ({ term: spellingKey(m[0].toLowerCase()), start: m.index, end: m.index + m[0].length }));
}

describe("tokenize", () => {
  // Letters of every kind a text may hold: Vietnamese in both cases, digits and the separators a
  // number may hold, Greek capital sigma (lower-cased by context), dotted İ (two units lower-cased),
  // astral letters and digits (surrogate pairs, with and without a lower case), lone surrogates,
  // combining marks, emoji and punctuation.
  const unit = fc.constantFrom(
    ..."aAđĐệỆỳỲoòÒhHyýÝ0159٣.,,..- _/\n'’ΣσςİIıΑΒ\u0301\u0323😀".split(""),
    "𝐀", "𝟏", "𐐀", "𐐨", "\ud800", "\udc00", "Hòa", "KHỎE", "3.500", "1,5", "kỹ", "ΟΔΟΣ",
  );

  it("finds what the regular expression finds, with the same terms and offsets", () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const text = units.join("");
        expect(tokenize(text)).toEqual(tokenizeByRegex(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("wordsOf finds the runs of letters and digits the regular expression finds", () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const text = units.join("");
        expect(wordsOf(text)).toEqual(text.match(/[\p{L}\p{N}]+/gu) ?? []);
      }),
      { numRuns: 3000 },
    );
  });

  it("splits, lower-cases and respells as before", () => {
    const text = nfc("Ông KỸ sư Hòa, Covid-19, giá 3.500,5 đồng/lít; ΟΔΟΣ.");
    expect(tokenize(text)).toEqual(tokenizeByRegex(text));
    expect(tokenize(text).map((t) => t.term)).toEqual(["ông", "kĩ", "sư", "hoà", "covid", "19", "giá", "3.500,5", "đồng", "lít", "οδος"]);
  });
});

describe("couldBeSyllable", () => {
  it("tells Vietnamese syllables, folded, from foreign words", () => {
    for (const word of ["a", "nguoi", "truong", "nghieng", "khuya", "quyet", "gio", "thanh", "oc"]) expect(couldBeSyllable(word)).toBe(true);
    for (const word of ["peru", "covid", "shamook", "bluetooth", "atm", "hagl", "viettel", "seoul"]) expect(couldBeSyllable(word)).toBe(false);
  });
});

describe("spellingKey", () => {
  it.each([
    ["hòa", "hoà"],
    ["khỏe", "khoẻ"],
    ["thủy", "thuỷ"],
    ["họa", "hoạ"],
    ["ủy", "uỷ"],
    ["kỹ", "kĩ"],
    ["tỷ", "tỉ"],
    ["lý", "lí"],
    ["quý", "quí"],
    ["hy", "hi"],
  ])("gives %s and %s one spelling", (a, b) => {
    expect(spellingKey(a)).toBe(spellingKey(b));
  });

  it.each(["của", "quả", "khuya", "hoàng", "thuyết", "người", "y", "ý", "mấy", "huy", "quỳnh"])(
    "leaves %s alone (no second spelling to merge)",
    (syllable) => {
      expect(spellingKey(syllable)).toBe(syllable);
    },
  );

  it("keeps the other syllables of the same letters apart", () => {
    expect(spellingKey("hoà")).not.toBe(spellingKey("hoá"));
    expect(spellingKey("kĩ")).not.toBe(spellingKey("kì"));
  });

  it("is what tokenize gives, so old and new spellings index alike", () => {
    expect(syllables(nfc("Sức khỏe và hòa bình, kỹ sư Thủy"))).toEqual(syllables(nfc("sức khoẻ và hoà bình, kĩ sư Thuỷ")));
  });
});
