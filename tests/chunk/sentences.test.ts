import fs from "node:fs/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SENTENCE_CHARS, splitSentences } from "../../src/chunk/sentences";
import { nfc } from "../../src/text/vietnamese";

const split = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe("splitSentences", () => {
  it("ends a sentence at an ellipsis before a capital, not before a lower-case word", () => {
    expect(split("Các cấp uỷ đã nâng cao chất lượng sinh hoạt… Tại Đảng bộ thị trấn, mọi việc tốt hơn.")).toEqual([
      "Các cấp uỷ đã nâng cao chất lượng sinh hoạt…",
      "Tại Đảng bộ thị trấn, mọi việc tốt hơn.",
    ]);
    expect(split("Giá tăng 3.500 đồng... nhưng vẫn còn rẻ. Năm 2019 thì khác hẳn.")).toEqual([
      "Giá tăng 3.500 đồng... nhưng vẫn còn rẻ.",
      "Năm 2019 thì khác hẳn.",
    ]);
  });

  it("does not end a sentence after an initial or an abbreviation", () => {
    expect(split("Vụ việc xảy ra ở xã Sơn Long (H. Sơn Hòa, Phú Yên). Chính quyền đã vào cuộc ngay.")).toEqual([
      "Vụ việc xảy ra ở xã Sơn Long (H. Sơn Hòa, Phú Yên).",
      "Chính quyền đã vào cuộc ngay.",
    ]);
    expect(split("Theo PGS.TS. Nguyễn Văn An, bệnh nhân đã ổn định. Ông về nhà ở TP. Hồ Chí Minh hôm qua.")).toEqual([
      "Theo PGS.TS. Nguyễn Văn An, bệnh nhân đã ổn định.",
      "Ông về nhà ở TP. Hồ Chí Minh hôm qua.",
    ]);
    expect(split("Ông A. Nguyễn nói rằng giá lúa tăng. Sau đó TP.HCM có mưa lớn.")).toEqual([
      "Ông A. Nguyễn nói rằng giá lúa tăng.",
      "Sau đó TP.HCM có mưa lớn.",
    ]);
  });

  it("ends a sentence whose full stop lost its space in scraping ('tỉnh.Một'), but not inside an acronym", () => {
    expect(split("Nghị quyết của Ban Chấp hành Đảng bộ tỉnh.Một buổi sinh hoạt Đảng ở thị trấn.")).toEqual([
      "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh.",
      "Một buổi sinh hoạt Đảng ở thị trấn.",
    ]);
  });

  it("cuts a paragraph without punctuation into pieces of at most MAX_SENTENCE_CHARS, at clause boundaries, in linear time", () => {
    const giant = Array.from({ length: 40_000 }, (_, i) => (i % 37 === 36 ? "chữ," : "chữ")).join(" ");
    const spans = splitSentences(giant);
    expect(spans.length).toBeGreaterThan(200);
    for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    // Every piece but the last ends at a comma when one stood in its second half.
    expect(spans.slice(0, -1).every((s) => giant[s.end - 1] === ",")).toBe(true);
    expect(spans.at(-1)!.end).toBe(giant.length);
  });

  it("keeps every character of a paragraph in exactly one sentence or the white space between (property)", () => {
    const word = fc.constantFrom("Hữu", "lũng", "TP.", "H.", "3.500", "tỉnh.Một", "…", "...", "đồng.", "“Trích", "dẫn”.", "PGS.TS.", "Ông", "a");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 300 }), (words) => {
        const text = words.join(" ");
        const spans = splitSentences(text);
        let at = 0;
        for (const s of spans) {
          expect(text.slice(at, s.start).trim()).toBe("");
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
          at = s.end;
        }
        expect(text.slice(at).trim()).toBe("");
      }),
    );
  });

  it("splits the bundled seed article into sentences of at most 600 characters", async () => {
    const text = nfc(await fs.readFile(new URL("../../corpus/000_354ed7ee8145b694.txt", import.meta.url), "utf8"));
    const sentences = split(text);
    expect(Math.max(...sentences.map((s) => s.length))).toBeLessThanOrEqual(600);
    // It used to run on past "…" into a 1,055-character "sentence".
    expect(sentences).toContain("Việc ban hành quy chế làm việc của cấp uỷ cũng được các đảng bộ, chi bộ cơ sở và các chi bộ trực thuộc Đảng uỷ cơ sở triển khai thực hiện tốt, đảm bảo đúng các nguyên tắc tổ chức và sinh hoạt theo quy định của điều lệ Đảng…");
  });
});
