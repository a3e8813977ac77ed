import { describe, expect, it } from "vitest";
import { codePointOrder, compareCodePoints, SortedTerms, sortByCodePoints } from "../../src/store/sorted-terms";
import { seeded } from "../helpers/seeded";

const dictionary = (terms: string[]) => {
  const sorted = [...new Set(terms)].sort(compareCodePoints);
  const { blob, offsets } = SortedTerms.encode(sorted);
  return { sorted, terms: new SortedTerms(blob, offsets) };
};

describe("SortedTerms", () => {
  it("finds every Vietnamese NFC term at its rank, and nothing else", () => {
    const { sorted, terms } = dictionary(["hữu", "huu", "hưu", "lũng", "lung", "đăng", "dang", "người", "ngươi", "a", "ả", "hữu\u0020lũng", "9", "ấy"]);
    sorted.forEach((term, id) => {
      expect(terms.find(term)).toBe(id);
      expect(terms.at(id)).toBe(term);
    });
    // The same letters in another normalisation (NFD), a prefix, an extension: not terms.
    for (const missing of ["hữu".normalize("NFD"), "hữ", "hữuu", "", "z", "đ"]) expect(terms.find(missing)).toBe(-1);
  });

  it("sorts in UTF-8 byte order, beyond the BMP too (where JavaScript's < differs)", () => {
    const rng = seeded(5);
    const alphabet = ["a", "đ", "ữ", "\uFB01", "\uFFFD", "😀", "𝕏", "\uE000", "z"];
    const random = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(rng() * 4) }, () => alphabet[Math.floor(rng() * alphabet.length)]).join(""));
    const { sorted, terms } = dictionary(random);
    for (let i = 1; i < sorted.length; i++) expect(Buffer.compare(Buffer.from(sorted[i - 1]!), Buffer.from(sorted[i]!))).toBe(-1);
    sorted.forEach((term, id) => expect(terms.find(term)).toBe(id));
    // A lone surrogate is looked up as U+FFFD, the bytes Buffer.from writes for it; long terms too.
    expect(terms.find("\ud800")).toBe(sorted.indexOf("\uFFFD"));
    expect(terms.find("a".repeat(300))).toBe(-1);
  });

  it("is empty without terms", () => {
    const { terms } = dictionary([]);
    expect(terms.size).toBe(0);
    expect(terms.find("a")).toBe(-1);
  });
});

describe("sortByCodePoints", () => {
  it.each([
    ["without surrogates (sorted natively)", ["hữu", "huu", "Hữu", "3.5", "a_b", "ab", "a", "ﬀ", "\uE000x", ""]],
    ["with them (code-unit order differs)", ["hữu", "huu", "😀", "𝐀", "ﬀ", "\uE000x", "a😀", "aﬀ", ""]],
  ])("orders as compareCodePoints does, %s", (_, pieces) => {
    const rng = seeded(4);
    const strings = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pieces[Math.floor(rng() * pieces.length)]!).join(""));
    expect(sortByCodePoints([...strings])).toEqual([...strings].sort(compareCodePoints));
    expect(Math.sign(codePointOrder(strings)("ﬀ", "😀"))).toBe(strings.some((s) => /[\uD800-\uDFFF]/.test(s)) ? -1 : 1);
  });
});
