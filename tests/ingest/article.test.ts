import { describe, expect, it } from "vitest";
import { ArticleParseError } from "../../src/domain/errors";
import { contentHash, FIELD_LIMITS, makeArticle } from "../../src/ingest/article";

describe("makeArticle", () => {
  it("normalises every field: NFC, trimmed, spaces collapsed, empty paragraphs dropped", () => {
    const article = makeArticle({
      id: " a1 ",
      title: "  Hu\u031b\u0303u   Lu\u0303ng\u00a0 ", // decomposed diacritics, runs of spaces
      author: "  ",
      body: ["Đoạn\tmột  có\u200b khoảng trắng. ", "", "  Đoạn hai.\r\n\r\nĐoạn ba."],
      captions: ["Ảnh một", " Ảnh một ", ""],
      source: "a1.txt",
    });
    expect(article).toMatchObject({
      id: "a1",
      title: "Hữu Lũng",
      author: null,
      publishedAt: null,
      body: "Đoạn một có khoảng trắng.\nĐoạn hai.\nĐoạn ba.",
      captions: ["Ảnh một"],
    });
    expect(article.title).toBe(article.title.normalize("NFC"));
  });

  it("reads a no-break space left as an entity, with or without its ';', as a space", () => {
    const article = makeArticle({ id: "a", title: "Giá&nbsp;vàng", body: "Cụ thể, lúc&nbsp11h hôm nay&nbsp; giá tăng.", source: "a.txt" });
    expect(article.title).toBe("Giá vàng");
    expect(article.body).toBe("Cụ thể, lúc 11h hôm nay giá tăng.");
  });

  it("hashes content, not source: same text in NFD or from another file gives the same hash", () => {
    const a = makeArticle({ id: "x", title: "Lũng", body: "Thân bài.", source: "a.txt" });
    const b = makeArticle({ id: "x", title: "Lu\u0303ng", body: "Thân  bài. ", source: "b/c.md" });
    const c = makeArticle({ id: "x", title: "Lũng", body: "Thân bài!", source: "a.txt" });
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.contentHash).toBe(a.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash);
    expect(contentHash(a)).toBe(a.contentHash);
  });

  it("refuses an article without id, title or body", () => {
    expect(() => makeArticle({ id: "x", title: " ", body: "Thân bài.", source: "s" })).toThrow(ArticleParseError);
    expect(() => makeArticle({ id: "x", title: "T", body: ["", " "], source: "s" })).toThrow(/no body text/);
    expect(() => makeArticle({ id: "", title: "T", body: "B", source: "s" })).toThrow(/no id/);
  });
});

describe("makeArticle field limits", () => {
  const base = { id: "a1", title: "Tiêu đề", body: "Một câu.", source: "a1.json" };

  it.each([
    ["title", { title: "Tiêu đề dài ".repeat(400_000) }, /a1\.json: the title is [\d,]{9} characters long; the limit is 1,000/],
    ["id", { id: "x".repeat(201) }, /the id is 201 characters long; the limit is 200/],
    ["author", { author: "Tác giả ".repeat(100) }, /the author is .* characters long; the limit is 500/],
    ["url", { url: `https://e.vn/${"a".repeat(3000)}` }, /the url is .* characters long; the limit is 2,048/],
    ["category", { category: "c".repeat(201) }, /the category is 201 characters long/],
    ["body", { body: "Một câu. ".repeat(200_000) }, /the body is .* characters long; the limit is 1,000,000: split it/],
    ["captions", { captions: Array.from({ length: 1001 }, (_, i) => `Ảnh ${i}`) }, /1001 captions; the limit is 1000/],
    ["caption", { captions: ["Ảnh ".repeat(1000)] }, /a caption is .* characters long; the limit is 2,000/],
  ])("refuses an over-long %s, naming the file and the field", (_field, override, message) => {
    expect(() => makeArticle({ ...base, ...override })).toThrow(message);
  });

  it("accepts every field at its limit", () => {
    const article = makeArticle({ ...base, id: "x".repeat(FIELD_LIMITS.id), title: "t".repeat(FIELD_LIMITS.title) });
    expect(article.title).toHaveLength(FIELD_LIMITS.title);
  });
});
