import { describe, expect, it } from "vitest";
import { nfc, spellingKey, syllables } from "../../src/text/vietnamese";

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
