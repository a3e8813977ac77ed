import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeFileText } from "../../src/ingest/decode";

const utf16 = (text: string, order: "le" | "be"): Uint8Array => {
  const le = Buffer.from(text, "utf16le");
  if (order === "be") le.swap16();
  return Buffer.concat([Buffer.from(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
};

describe("decodeFileText", () => {
  const text = "Thứ sáu, 01/03/2024\nHữu Lũng kết nạp đảng viên\nMột câu.\n";

  it("reads UTF-8 with or without a byte order mark, dropping the mark", () => {
    expect(decodeFileText(Buffer.from(text), "a.txt")).toBe(text);
    expect(decodeFileText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "a.txt")).toBe(text);
  });

  it("reads UTF-16 LE and BE by their byte order mark", () => {
    expect(decodeFileText(utf16(text, "le"), "a.txt")).toBe(text);
    expect(decodeFileText(utf16(text, "be"), "a.txt")).toBe(text);
  });

  it("refuses invalid UTF-8 (a legacy code page), naming the file", () => {
    const windows1258 = Buffer.from([0x48, 0xf2, 0x61, 0x20, 0x42, 0xec, 0x6e, 0x68]); // not UTF-8
    expect(() => decodeFileText(windows1258, "tin/cu.txt")).toThrow(/tin\/cu\.txt: the file is not UTF-8 text: save it as UTF-8/);
  });

  it("refuses random bytes", () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(() => decodeFileText(randomBytes(4096), "noise.txt")).toThrow(/noise\.txt: /);
    }
  });

  it("refuses UTF-16 without a byte order mark (NULs) and text made of control characters", () => {
    // ASCII in UTF-16 is valid UTF-8 with a NUL after every letter (Vietnamese letters are not).
    expect(() => decodeFileText(Buffer.from("Plain ASCII text.\n", "utf16le"), "a.txt")).toThrow(/NUL characters: it is binary, or UTF-16 without a byte order mark/);
    expect(() => decodeFileText(Buffer.from(text, "utf16le"), "a.txt")).toThrow(/a\.txt: the file is not UTF-8 text/);
    const controls = Buffer.from(`${"\u0001\u0002\u0003".repeat(100)}Một câu.`);
    expect(() => decodeFileText(controls, "a.txt")).toThrow(/% of the file is control or replacement characters/);
  });

  it("tolerates a stray control character in real text", () => {
    const stray = `${"Một câu văn bình thường. ".repeat(20)}\u000b${"Hai câu. ".repeat(20)}`;
    expect(decodeFileText(Buffer.from(stray), "a.txt")).toBe(stray);
  });
});
