import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, highlight, makeHighlighter, shortenAtBoundary } from "../../src/bot/html";
import { parseTelegramHtml } from "../helpers/telegram-html";

function boldTexts(html: string): string[] {
  const { text, entities } = parseTelegramHtml(html);
  return entities.filter((e) => e.type === "bold").map((e) => text.slice(e.offset, e.offset + e.length));
}

describe("escapeHtml", () => {
  it("escapes the characters Telegram HTML gives meaning to", () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    expect(parseTelegramHtml(escapeHtml("a < b && c > \"d\"")).text).toBe('a < b && c > "d"');
  });
});

describe("highlighting", () => {
  it("bolds matched syllables case-insensitively, one <b> per phrase, escaping the rest", () => {
    const html = highlight("Huyện HỮU Lũng & Lạng Sơn", ["hữu", "lũng"]);
    expect(html).toBe("Huyện <b>HỮU Lũng</b> &amp; Lạng Sơn");
  });

  it("matches without accents only when asked to", () => {
    expect(boldTexts(highlight("Huyện Hữu Lũng", ["huu", "lung"], { accentInsensitive: true }))).toEqual(["Hữu Lũng"]);
    expect(boldTexts(highlight("Huyện Hữu Lũng", ["huu", "lung"]))).toEqual([]);
    // An accented term does not bold a different word that only shares the letters.
    expect(boldTexts(highlight("Lúa và lừa", ["lúa"]))).toEqual(["Lúa"]);
  });

  it("leaves question words plain unless they are all there is", () => {
    expect(boldTexts(highlight("Giá lúa là 8.000 đồng", ["giá", "lúa", "là"]))).toEqual(["Giá lúa"]);
    expect(boldTexts(highlight("Đó là gì", ["là"]))).toEqual(["là"]);
  });

  it("bolds a question word with its neighbour only when they stand together in the question", () => {
    const hl = makeHighlighter(["giá", "lúa", "ở", "an", "giang", "là"], { question: "Giá lúa ở An Giang là bao nhiêu?" });
    expect(boldTexts(hl("Giá lúa tại An Giang là 8.000 đồng, an toàn."))).toEqual(["Giá lúa", "An Giang là"]);
    expect(boldTexts(hl("Ở đây An Giang, lúa là chính."))).toEqual(["An Giang", "lúa"]);
    expect(boldTexts(hl("ở An Giang"))).toEqual(["ở An Giang"]); // "ở An" is in the question too
  });

  it("does not join bold runs across a line break or punctuation", () => {
    expect(boldTexts(highlight("lúa\ngạo, lúa", ["lúa", "gạo"]))).toEqual(["lúa", "gạo", "lúa"]);
  });

  it("accepts pair terms (syllable_syllable)", () => {
    expect(boldTexts(highlight("ở Hữu Lũng", ["hữu_lũng"]))).toEqual(["Hữu Lũng"]);
  });

  it("always produces valid Telegram HTML whose visible text is the input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }), fc.boolean(), (text, terms, folded) => {
        const html = makeHighlighter(terms, { accentInsensitive: folded })(text);
        expect(parseTelegramHtml(html).text).toBe(text);
      }),
    );
  });
});

describe("shortenAtBoundary", () => {
  const text = "Câu thứ nhất khá dài về giá lúa. Câu thứ hai nói về xuất khẩu gạo năm nay rất mạnh.";

  it("returns text that fits unchanged", () => {
    expect(shortenAtBoundary(text, text.length)).toBe(text);
  });

  it("cuts after a sentence when one ends in the second half", () => {
    expect(shortenAtBoundary(text, 50)).toBe("Câu thứ nhất khá dài về giá lúa.…");
  });

  it("cuts at a space when no sentence ends late enough", () => {
    const cut = shortenAtBoundary(text, 25);
    expect(cut).toBe("Câu thứ nhất khá dài về…");
  });

  it("is always a verbatim prefix plus … within the limit, never splitting a surrogate pair", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.integer({ min: 1, max: 320 }), (s, max) => {
        const out = shortenAtBoundary(s, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
        if (out !== s) {
          expect(out.endsWith("…")).toBe(true);
          expect(s.startsWith(out.slice(0, -1))).toBe(true);
          const last = out.charCodeAt(out.length - 2);
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
        }
      }),
    );
  });
});
