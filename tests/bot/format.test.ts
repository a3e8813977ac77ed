import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buttonLabel,
  formatAnswer,
  formatArticleView,
  formatInlineQuote,
  formatNotFound,
  formatPassagesPage,
  formatSearchResults,
  formatSourceView,
  MESSAGE_LIMIT,
  paragraphsAround,
  splitMessages,
} from "../../src/bot/format";
import { cite } from "../../src/answer";
import { escapeHtml, makeHighlighter } from "../../src/bot/html";
import type { Answer, Article, Citation, ScoredChunk } from "../../src/domain/types";
import { testArticle } from "../helpers/articles";
import { parseTelegramHtml } from "../helpers/telegram-html";

/** An answer quoting the given ranges of articles, numbered in order of the articles. */
function answerOf(question: string, quoted: Array<{ article: Article; spans: Array<[number, number]> }>, matchedTerms: string[] = []): Answer {
  const citations: Citation[] = quoted.map(({ article, spans }, i) =>
    cite(i + 1, article, spans.map(([start, end]) => ({ start, end, text: article.body.slice(start, end) }))),
  );
  const parts = citations.flatMap((c) => c.quotes.map((quote) => ({ quote, citation: c.n, articleId: c.articleId, answerSpan: null, matches: [] })));
  return {
    question,
    language: "vi",
    notFound: false,
    text: parts.map((p) => `“${p.quote.text}” [${p.citation}]`).join("\n\n"),
    parts,
    citations,
    matchedTerms,
    suggestions: [],
  };
}

/** The visible text of each blockquote of a message, without the " [n]" that ends an answer's quote. */
function blockquotes(html: string): string[] {
  const { text, entities } = parseTelegramHtml(html);
  return entities.filter((e) => e.type === "blockquote").map((e) => text.slice(e.offset, e.offset + e.length).replace(/ \[\d+\]$/, ""));
}

function boldTexts(html: string): string[] {
  const { text, entities } = parseTelegramHtml(html);
  return entities.filter((e) => e.type === "bold").map((e) => text.slice(e.offset, e.offset + e.length));
}

/** A quote is shown whole, or as a verbatim prefix followed by "…". */
function expectVerbatimOrPrefix(shown: string, quote: string) {
  if (shown === quote) return;
  expect(shown.endsWith("…")).toBe(true);
  expect(quote.startsWith(shown.slice(0, -1))).toBe(true);
}

const nasty = testArticle({
  id: "nasty",
  title: 'Giá <lúa> & "gạo" tăng',
  url: "https://example.vn/a?x=1&y=<2>",
  publishedAt: "2024-03-01",
  author: "Trần <B>",
  body: 'Giá lúa <b>tăng</b> & "gạo" cũng tăng.\nĐoạn hai không liên quan.',
});

describe("splitMessages", () => {
  it("packs whole blocks in order, each message within the limit", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 40 }), (sizes) => {
        const blocks = sizes.map((n, i) => `<b>${i}</b>${"x".repeat(n)}`);
        const messages = splitMessages(blocks, 300);
        for (const m of messages) expect(m.length).toBeLessThanOrEqual(300);
        expect(messages.join("\n")).toBe(blocks.join("\n"));
      }),
    );
  });

  it("refuses a block that cannot fit (callers shorten quotes first)", () => {
    expect(() => splitMessages(["x".repeat(11)], 10)).toThrow(RangeError);
  });
});

describe("formatAnswer", () => {
  it("quotes in blockquotes ending with their [n], the answer bold, the question's words italic, sources with links, all text escaped", () => {
    const answer = answerOf("giá lúa tăng?", [{ article: nasty, spans: [[0, 37]] }], ["giá", "lúa", "tăng"]);
    const part = answer.parts[0]!;
    const at = (word: string) => ({ start: nasty.body.indexOf(word), end: nasty.body.indexOf(word) + word.length });
    part.answerSpan = at("cũng tăng");
    part.matches = [at("Giá lúa"), at("tăng.")];
    const [message, ...rest] = formatAnswer(answer, "vi");
    expect(rest).toEqual([]);
    const parsed = parseTelegramHtml(message!);
    expect(blockquotes(message!)).toEqual([nasty.body.slice(0, 37)]);
    // [n] closes its quote, inside the blockquote: not a line of its own.
    const quote = parsed.entities.find((e) => e.type === "blockquote")!;
    expect(parsed.text.slice(quote.offset, quote.offset + quote.length)).toBe(`${nasty.body.slice(0, 37)} [1]`);
    // The answer in bold; a matched word inside it is not marked twice.
    expect(boldTexts(message!)).toEqual(["cũng tăng", "Nguồn"]);
    expect(parsed.entities.filter((e) => e.type === "italic").map((e) => parsed.text.slice(e.offset, e.offset + e.length))).toEqual(["Giá lúa"]);
    expect(parsed.text).toContain('[1] Giá <lúa> & "gạo" tăng — 01/03/2024');
    const link = parsed.entities.find((e) => e.type === "text_link");
    expect(link && "url" in link ? link.url : null).toBe("https://example.vn/a?x=1&y=<2>");
  });

  it("says first how old the answer to a question about now is", () => {
    const article = testArticle({ id: "f", title: "T", body: "Một câu.", publishedAt: "2021-04-26" });
    const answer = { ...answerOf("giá vàng hôm nay?", [{ article, spans: [[0, 8]] }]), asOf: "2021-04-26" };
    const [vi] = formatAnswer(answer, "vi");
    const parsed = parseTelegramHtml(vi!);
    expect(parsed.text.startsWith("Theo bài viết mới nhất có câu trả lời, ngày 26/04/2021:")).toBe(true);
    expect(parsed.entities[0]).toMatchObject({ type: "italic", offset: 0 });
    expect(parseTelegramHtml(formatAnswer(answer, "en")[0]!).text.startsWith("As of 2021-04-26, the newest article with an answer:")).toBe(true);
    expect(parseTelegramHtml(formatAnswer(answerOf("q", [{ article, spans: [[0, 8]] }]), "vi")[0]!).text.startsWith("Một câu.")).toBe(true);
  });

  it("says that no recent article answers a question about today, and when the latest older one that does was published", () => {
    const vi = parseTelegramHtml(formatNotFound({ suggestions: [], outdated: "2021-04-21" }, "vi")).text;
    expect(vi).toBe("Chưa có bài viết nào trong hai ngày qua trả lời câu hỏi này. Bài gần nhất có câu trả lời đăng ngày 21/04/2021.");
    expect(parseTelegramHtml(formatNotFound({ suggestions: [] }, "en")).text).toBe("No answer to this question was found in the articles.");
    expect(parseTelegramHtml(formatNotFound({ suggestions: [], outdated: "2021-04-21" }, "en")).text).toContain("published on 2021-04-21");
  });

  it("writes dates the English way and does not link non-web URLs", () => {
    const article = testArticle({ id: "f", title: "T", body: "Một câu.", url: "javascript:alert(1)", publishedAt: "2024-03-01" });
    const [message] = formatAnswer(answerOf("q", [{ article, spans: [[0, 8]] }]), "en");
    expect(message).not.toContain("<a ");
    expect(parseTelegramHtml(message!).text).toContain("[1] T — 2024-03-01");
  });

  it("splits a long answer between quotes, each message within 4096, sources last", () => {
    const sentence = (i: number) => `Câu số ${i} nói về giá lúa & gạo <tăng> rất dài ${"chữ ".repeat(200)}kết thúc.`;
    const articles = Array.from({ length: 4 }, (_, a) =>
      testArticle({ id: `a${a}`, title: `Bài ${a}`, url: `https://x.vn/${a}`, body: Array.from({ length: 5 }, (_, i) => sentence(i)).join("\n") }),
    );
    const quoted = articles.map((article) => {
      const spans: Array<[number, number]> = [];
      let start = 0;
      for (const line of article.body.split("\n")) {
        spans.push([start, start + line.length]);
        start += line.length + 1;
      }
      return { article, spans };
    });
    const answer = answerOf("giá lúa", quoted, ["giá", "lúa"]);
    const messages = formatAnswer(answer, "vi");
    expect(messages.length).toBeGreaterThan(4);
    const shown: string[] = [];
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      shown.push(...blockquotes(m)); // parses, so no tag was cut
    }
    expect(shown).toEqual(answer.parts.map((p) => p.quote.text)); // every quote whole, in order
    expect(parseTelegramHtml(messages.at(-1)!).text).toContain("[4] Bài 3");
  });

  it("shortens a single gigantic quote at a boundary, verbatim up to the cut", () => {
    const body = `${"Một đoạn rất dài về giá lúa & gạo ".repeat(400)}.`;
    const article = testArticle({ id: "g", title: "G", body });
    const messages = formatAnswer(answerOf("giá lúa", [{ article, spans: [[0, body.length]] }], ["giá", "lúa"]), "vi");
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const [shown] = blockquotes(messages[0]!);
    expect(shown!.length).toBeLessThan(body.length);
    expectVerbatimOrPrefix(shown!, body);
    expect(shown!.at(-2)).not.toBe(" ");
  });

  it("keeps every message valid and within the limit for any article text (property)", () => {
    const chars = fc.constantFrom("a", "ă", "ệ", "<", ">", "&", '"', " ", " ", ".", "\n", "b", "Đ", "😀");
    const text = (max: number) => fc.array(chars, { minLength: 1, maxLength: max }).map((a) => a.join(""));
    fc.assert(
      fc.property(
        fc.array(fc.record({ title: text(400), body: text(6000), url: fc.option(fc.webUrl()) }), { minLength: 1, maxLength: 4 }),
        (docs) => {
          const quoted = docs.map((d, i) => ({
            article: testArticle({ id: `p${i}`, title: d.title, body: d.body, url: d.url }),
            spans: [[0, d.body.length] as [number, number]],
          }));
          const answer = answerOf("a ệ", quoted, ["a", "ệ"]);
          const messages = formatAnswer(answer, "vi");
          const shown = messages.flatMap((m) => {
            expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
            return blockquotes(m);
          });
          expect(shown).toHaveLength(answer.parts.length);
          // Telegram trims a message's edges; compare what survives trimming.
          shown.forEach((s, i) => expectVerbatimOrPrefix(s.trim(), answer.parts[i]!.quote.text.trim()));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("renders not-found as the plain sentence", () => {
    const answer: Answer = { ...answerOf("x", []), notFound: true, suggestions: [{ articleId: "a", title: "T", publishedAt: null }] };
    const [message] = formatAnswer(answer, "en");
    expect(parseTelegramHtml(message!).text).toBe("No answer to this question was found in the articles.\n\nNearest articles:");
  });
});

describe("source and article views", () => {
  const article = testArticle({
    id: "s",
    title: "Mưa lũ <Lạng Sơn>",
    author: "Bảo & Vy",
    url: "https://x.vn/s",
    publishedAt: "2024-07-10",
    body: "Đoạn một.\nMưa lớn kéo dài. Chính quyền đã di dời 200 hộ dân. Cứu hộ túc trực.\nĐoạn ba.",
  });
  const quoteStart = article.body.indexOf("Chính");
  const quoteEnd = article.body.indexOf("dân.") + 4;

  it("shows the paragraph around the quote with the quote in bold, and the header", () => {
    const html = formatSourceView({ article, bold: [{ start: quoteStart, end: quoteEnd }] }, "vi");
    const { text } = parseTelegramHtml(html);
    expect(text).toBe(
      "Mưa lũ <Lạng Sơn>\n10/07/2024 · Tác giả: Bảo & Vy\nĐọc bài gốc\n\nMưa lớn kéo dài. Chính quyền đã di dời 200 hộ dân. Cứu hộ túc trực.",
    );
    expect(boldTexts(html)).toContain("Chính quyền đã di dời 200 hộ dân.");
  });

  it("finds paragraph bounds", () => {
    expect(paragraphsAround(article.body, [{ start: quoteStart, end: quoteEnd }])).toEqual([{ start: 10, end: article.body.indexOf("\nĐoạn ba") }]);
  });

  it("cuts a huge paragraph around the quote, within the limit", () => {
    const filler = "lời dẫn & chú thích <x> ".repeat(500);
    const big = testArticle({ id: "b", title: "B", body: `${filler}CÂU TRÍCH DẪN QUAN TRỌNG. ${filler}` });
    const start = big.body.indexOf("CÂU");
    const html = formatSourceView({ article: big, bold: [{ start, end: start + 25 }] }, "vi");
    expect(html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(boldTexts(html)).toContain("CÂU TRÍCH DẪN QUAN TRỌNG.");
    expect(parseTelegramHtml(html).text).toMatch(/^B\n.*\n\n….*…$/s);
  });

  it("shows an article's lead when there is no quote", () => {
    const html = formatArticleView(testArticle({ id: "l", title: "L", body: "x ".repeat(5000) }), "en", 500);
    expect(html.length).toBeLessThanOrEqual(500);
    expect(parseTelegramHtml(html).text).toMatch(/^L\nundated\n\nx x .*…$/s);
  });
});

function hit(article: Article, start: number, end: number, extra: Partial<ScoredChunk> = {}): ScoredChunk {
  return {
    chunk: { id: `${article.id}#0`, articleId: article.id, ordinal: 0, start, end, sentences: [{ start, end }] },
    article,
    score: 0.8312,
    lexical: 0.9,
    dense: null,
    matchedTerms: ["lúa"],
    ...extra,
  };
}

describe("staff search and passages", () => {
  it("shows rank, article id, ordinal, offsets and the three scores, with the raw passage", () => {
    const [message] = formatSearchResults("giá <lúa>", [hit(nasty, 0, 37), hit(nasty, 38, 62, { dense: 0.71234, score: 0.5 })], "vi");
    const { text } = parseTelegramHtml(message!);
    expect(text).toContain("Tìm kiếm: giá <lúa>");
    expect(text).toContain("1. nasty #0 [0–37)\nđiểm 0.831 · từ khoá 0.900 · ngữ nghĩa —");
    expect(text).toContain("2. nasty #0 [38–62)\nđiểm 0.500 · từ khoá 0.900 · ngữ nghĩa 0.712");
    expect(blockquotes(message!)).toEqual([nasty.body.slice(0, 37), nasty.body.slice(38, 62)]);
  });

  it("splits many long passages into messages within the limit", () => {
    const long = testArticle({ id: "long", title: "L", body: "lúa & gạo ".repeat(3000) });
    const messages = formatSearchResults("lúa", Array.from({ length: 10 }, () => hit(long, 0, 2500)), "en");
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      parseTelegramHtml(m);
    }
  });

  it("says so when nothing matches", () => {
    expect(parseTelegramHtml(formatSearchResults("x", [], "en")[0]!).text).toBe("Search: x\nNo passage matches.");
  });

  it("fits a page of three huge passages in one message", () => {
    const long = testArticle({ id: "long", title: "L & <l>", body: "lúa & gạo ".repeat(3000) });
    const html = formatPassagesPage({ hits: [hit(long, 0, 9000), hit(long, 100, 9000), hit(long, 200, 9000)], firstNumber: 4, page: 2, pages: 3 }, makeHighlighter(["lúa"]), "en");
    expect(html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const { text } = parseTelegramHtml(html);
    expect(text).toMatch(/^More results \(page 2\/3\)\n\n4\. L & <l> — undated\n/);
    expect(blockquotes(html)).toHaveLength(3);
  });
});

describe("inline quote and buttons", () => {
  it("inserts the quote and its source, within the limit", () => {
    const citation = answerOf("q", [{ article: nasty, spans: [[0, 37]] }]).citations[0]!;
    const html = formatInlineQuote("x & y ".repeat(2000), citation, escapeHtml, "vi");
    expect(html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parseTelegramHtml(html).text).toMatch(/…\n— Giá <lúa> & "gạo" tăng, 01\/03\/2024$/);
  });

  it("keeps button labels short and plain", () => {
    const label = buttonLabel("[1]", "Một tiêu đề <rất> dài ".repeat(5));
    expect(label.length).toBeLessThanOrEqual(40);
    expect(label.startsWith("[1] Một tiêu đề <rất>")).toBe(true);
  });
});
