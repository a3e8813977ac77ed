import { describe, expect, it } from "vitest";
import { ArticleParseError } from "../../src/domain/errors";
import { contentHash, makeArticle } from "../../src/ingest/article";

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
