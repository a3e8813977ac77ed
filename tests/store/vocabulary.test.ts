import { describe, expect, it } from "vitest";
import { Vocabulary } from "../../src/store";
import { nfc } from "../../src/text/vietnamese";

describe("Vocabulary", () => {
  // Eight spellings of "dang": more than restoration considers, all of them real words.
  const texts = ["đang", "đảng", "đăng", "đắng", "đáng", "dạng", "dáng", "đằng", "đang làm", "chocolate đen", "chocolate sữa", "chocolate"].map(nfc);

  it("keeps the exact passage count of every spelling through a save and load", () => {
    const built = Vocabulary.build(texts);
    const loaded = Vocabulary.fromBuffer(built.bytes.slice().buffer, "copy");
    expect(loaded.bytes).toEqual(built.bytes);
    expect(loaded.documents).toBe(texts.length);
    // Every spelling, pair and folded lookup answers as the built one (the pairs: restoration uses them).
    for (const syllable of ["đang", "đảng", "dạng", "dang", "chocolate", "làm", "đen", "x"]) {
      expect(loaded.documentFrequency(syllable)).toBe(built.documentFrequency(syllable));
      expect(loaded.knowsFolded(syllable)).toBe(built.knowsFolded(syllable));
    }
    expect(loaded.pairFrequency("chocolate", "đen")).toBe(built.pairFrequency("chocolate", "đen"));
    expect(loaded.restore(["dang", "lam"])).toEqual(["đang", "làm"]);
    expect(Vocabulary.fromBuffer(Vocabulary.empty().bytes.slice().buffer, "empty").documentFrequency("đang")).toBe(0);
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

  it("reads a word typed in Telex with its marks left as letters, in any order: 'sahcj' is 'sạch'", () => {
    const vocabulary = Vocabulary.build(["Vệ sinh sạch sẽ.", "Phát hiện sớm.", "Sách mới.", "Cá sặc."].map(nfc));
    expect(vocabulary.telexNearest("sahcj")).toBe(nfc("sạch")); // the tone letter "j": nặng
    expect(vocabulary.telexNearest("sachs")).toBe(nfc("sách")); // "s": sắc
    expect(vocabulary.telexNearest("pahst")).toBe(nfc("phát"));
    expect(vocabulary.telexNearest("sawcj")).toBe(nfc("sặc")); // "aw": ă
    // No known syllable has these letters; names are left alone.
    expect(vocabulary.telexNearest("sahcx")).toBeNull();
    expect(vocabulary.telexNearest("shiba")).toBeNull();
  });

  it("restores accents with how often the corpus pairs two spellings, not how common each is alone", () => {
    // "có báo" is a common pair and "nhiều" a common word, but "báo nhiều" never occurs: the
    // question is "có bao nhiêu người".
    const vocabulary = Vocabulary.build(
      [
        ...Array(6).fill("Có báo đưa tin nhiều người dân đã về nhà."),
        ...Array(3).fill("Có bao nhiêu người dân được hỗ trợ?"),
        ...Array(4).fill("Bão làm nhiều người mất nhà."),
      ].map(nfc),
    );
    expect(vocabulary.restore(["co", "bao", "nhieu", "nguoi"])).toEqual(["có", "bao", "nhiêu", "người"]);
    expect(vocabulary.restore(["co", "bao", "dua", "tin"])).toEqual(["có", "báo", "đưa", "tin"]);
    expect(vocabulary.restore(["zorvania"])).toEqual(["zorvania"]);
  });

  it("restores the words of an accented question typed without accents, in the context of the others", () => {
    const vocabulary = Vocabulary.build(
      [
        ...Array(5).fill("Bệnh nhân bị sốt cao, đau đầu."),
        ...Array(2).fill("Bi kịch của gia đình."),
        ...Array(3).fill("Con của bà bị sốt."),
        ...Array(2).fill("Trẻ chơi bi ve."),
      ].map(nfc),
    );
    expect(vocabulary.restore(["bệnh", "nhân", "bi", "sốt"])).toEqual(["bệnh", "nhân", "bị", "sốt"]);
    expect(vocabulary.restore(["chơi", "bi", "ve"])).toEqual(["chơi", "bi", "ve"]);
    // `keep` leaves a syllable as typed.
    expect(vocabulary.restore(["bệnh", "nhân", "bi", "sốt"], (s) => s === "bi")).toEqual(["bệnh", "nhân", "bi", "sốt"]);
  });

  it("tells a syllable the corpus nearly always accents from one it writes as typed", () => {
    const vocabulary = Vocabulary.build(
      [...Array(9).fill("Bệnh nhân bị sốt."), "Trẻ chơi bi ve.", ...Array(4).fill("Con của bà."), "Cơn đau."].map(nfc),
    );
    expect(vocabulary.looksUnaccented("bi")).toBe(true); // "bị" in 9 passages, "bi" in 1
    expect(vocabulary.looksUnaccented("con")).toBe(false); // "con" is the common spelling
    expect(vocabulary.looksUnaccented("bị")).toBe(false); // typed with its accent
    expect(vocabulary.looksUnaccented("zorvania")).toBe(false); // nothing to compare with
  });

  it("does not guess for short or numeric syllables", () => {
    const vocabulary = Vocabulary.build(["rút 2030", "năm 2031"].map(nfc));
    expect(vocabulary.nearest("rust")).toBeNull();
    expect(vocabulary.nearest("2032")).toBeNull();
  });
});
