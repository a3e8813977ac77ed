import { describe, expect, it } from "vitest";
import { Vocabulary } from "../../src/store";
import { nfc } from "../../src/text/vietnamese";

describe("Vocabulary", () => {
  // Eight spellings of "dang": more than restoration considers, all of them real words.
  const texts = ["đang", "đảng", "đăng", "đắng", "đáng", "dạng", "dáng", "đằng", "đang làm", "chocolate đen", "chocolate sữa", "chocolate"].map(nfc);

  it("keeps the exact passage count of every spelling through a save and load", () => {
    const loaded = Vocabulary.fromJSON(JSON.parse(JSON.stringify(Vocabulary.build(texts).toJSON())));
    for (const syllable of ["đang", "đắng", "đằng", "dáng"]) expect(loaded.documentFrequency(syllable), syllable).toBeGreaterThan(0);
    expect(loaded.documentFrequency("đang")).toBe(2);
    expect(loaded.documentFrequency("chocolate")).toBe(3);
  });

  it("proposes the known syllable one edit away from a typo", () => {
    const vocabulary = Vocabulary.build(texts);
    expect(vocabulary.nearest("chococlate")).toBe("chocolate"); // a letter added
    expect(vocabulary.nearest("chocolat")).toBe("chocolate"); // dropped
    expect(vocabulary.nearest("chocolaet")).toBe("chocolate"); // swapped
    expect(vocabulary.nearest("zorvania")).toBeNull();
  });

  it("does not guess for short or numeric syllables", () => {
    const vocabulary = Vocabulary.build(["rút 2030", "năm 2031"].map(nfc));
    expect(vocabulary.nearest("rust")).toBeNull();
    expect(vocabulary.nearest("2032")).toBeNull();
  });
});
