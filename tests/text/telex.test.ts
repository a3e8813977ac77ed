import { describe, expect, it } from "vitest";
import { looksTelex, sortLetters, telexFoldedReadings, telexLetters } from "../../src/text/telex";
import { nfc } from "../../src/text/vietnamese";

describe("Telex", () => {
  it("spells a syllable's Telex typing as its sorted letters: shapes and tone as letters", () => {
    expect(telexLetters(nfc("sạch"))).toBe(sortLetters("sachj"));
    expect(telexLetters(nfc("Trường"))).toBe(sortLetters("truwowngf"));
    expect(telexLetters(nfc("đặc"))).toBe(sortLetters("ddawcj"));
    expect(telexLetters(nfc("ấy"))).toBe(sortLetters("aays"));
    expect(telexLetters("nguy")).toBe(sortLetters("nguy"));
  });

  it("tries only words that carry a mark letter where no syllable writes one", () => {
    expect(looksTelex("sahcj")).toBe(true);
    expect(looksTelex("pahst")).toBe(true);
    expect(looksTelex("truwowngf")).toBe(true);
    // Names and plain syllables: an "s" or "r" first is a consonant.
    for (const word of ["shiba", "inu", "song", "rang", "nguyen", "ab"]) expect(looksTelex(word), word).toBe(false);
  });

  it("reads the folded syllables a Telex word may stand for, its marks taken off", () => {
    expect([...telexFoldedReadings("sahcj")]).toContain("sach");
    expect([...telexFoldedReadings("truwowngf")]).toContain("truong");
    expect([...telexFoldedReadings("shiba")]).toEqual([]);
  });
});
