import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArticleParseError } from "../../src/domain/errors";
import { idFromSource, parseHtmlArticle } from "../../src/ingest";
import { MAX_NESTING_DEPTH, nestingDepth } from "../../src/ingest/html";
import { FIXTURES } from "./paths";

describe("parseHtmlArticle", () => {
  const html = readFileSync(join(FIXTURES, "html/bao-lu.html"), "utf8");

  it("reads og/article meta, the main text and figcaptions", () => {
    const article = parseHtmlArticle(html, "html/bao-lu.html");
    expect(article).toMatchObject({
      id: "bao-lu",
      title: "Lũ quét ở Bình Gia: hàng trăm hộ dân được sơ tán",
      publishedAt: "2024-08-20", // article:published_time wins over JSON-LD
      author: "Ngọc Lan",
      category: "Thời sự",
      // the canonical link is relative and there is no page URL: og:url
      url: "https://baothu.example.vn/lu-quet-binh-gia.html",
      captions: ["Nước lũ tràn qua đường liên xã ở Bình Gia"],
      source: "html/bao-lu.html",
    });
    expect(article.body.split("\n")).toEqual([
      "Đêm 20/8, mưa lớn kéo dài gây lũ quét tại nhiều xã của huyện Bình Gia, tỉnh Lạng Sơn. Chính quyền địa phương đã sơ tán hàng trăm hộ dân khỏi vùng nguy hiểm.",
      "Theo báo cáo ban đầu, lũ làm hư hỏng hai cây cầu tạm và nhiều diện tích lúa sắp thu hoạch. Không có thiệt hại về người.",
      "Khắc phục hậu quả",
      "Lực lượng quân đội và công an đã hỗ trợ người dân di chuyển tài sản.",
      "Các đoàn cứu trợ mang theo lương thực và nước uống.",
    ]);
    expect(article.body).not.toMatch(/Trang chủ|Bản quyền|Nước lũ tràn/);
  });

  it("resolves a relative canonical link against the page URL", () => {
    const url = "https://baothu.example.vn/tin/123";
    const article = parseHtmlArticle(html, url, url);
    expect(article.url).toBe("https://baothu.example.vn/thoi-su/lu-quet-binh-gia.html");
    expect(article.id).toBe("123");
  });

  it("falls back to <title>, JSON-LD and the given URL", () => {
    const page = `<html><head><title>Giá xăng giảm nhẹ</title>
      <script type="application/ld+json">{"@graph": [{"@type": "WebPage"},
        {"@type": "NewsArticle", "datePublished": "2024-09-02T06:00:00+07:00", "author": [{"name": "Hải Nam"}]}]}</script>
      </head><body><div><p>Từ 15 giờ chiều nay, giá xăng giảm nhẹ theo điều chỉnh của liên bộ. Giá dầu giữ nguyên so với kỳ trước.</p>
      <p>Đây là lần giảm thứ ba liên tiếp kể từ đầu tháng tám.</p></div></body></html>`;
    const article = parseHtmlArticle(page, "https://vd.vn/kinh-te/gia-xang.htm", "https://vd.vn/kinh-te/gia-xang.htm");
    expect(article).toMatchObject({
      id: "gia-xang",
      title: "Giá xăng giảm nhẹ",
      publishedAt: "2024-09-02",
      author: "Hải Nam",
      url: "https://vd.vn/kinh-te/gia-xang.htm",
    });
    expect(article.body.split("\n")).toHaveLength(2);
  });

  it("reads a bare fragment, and a <time datetime>", () => {
    const article = parseHtmlArticle(
      '<h1>Tin vắn</h1><time datetime="2024-10-01">1/10</time><p>Chiều nay trời mưa rào và có dông ở vùng núi phía Bắc.</p>',
      "vắn.html",
      undefined,
      { id: "tin-van" },
    );
    expect(article).toMatchObject({ id: "tin-van", title: "Tin vắn", publishedAt: "2024-10-01" });
    expect(article.body).toContain("Chiều nay trời mưa rào");
  });

  it("takes captions marked by class, not only <figcaption>", () => {
    const page = `<html><head><title>Mùa lúa chín</title></head><body><article>
      <p>Những ngày này, cánh đồng ở Bắc Sơn vàng rực màu lúa chín. Bà con tranh thủ thu hoạch trước mưa.</p>
      <div class="VCSortableInPreviewMode"><img src="lua.jpg"><div class="PhotoCMS_Caption"><p>Cánh đồng lúa ở Bắc Sơn</p></div></div>
      <p>Năng suất năm nay ước đạt hơn 55 tạ mỗi héc-ta, cao hơn năm trước.</p></article></body></html>`;
    const article = parseHtmlArticle(page, "mua-lua.html");
    expect(article.captions).toEqual(["Cánh đồng lúa ở Bắc Sơn"]);
    expect(article.body).not.toContain("Cánh đồng lúa ở Bắc Sơn");
    expect(article.body.split("\n")).toHaveLength(2);
  });

  it("fails on a page without text", () => {
    expect(() => parseHtmlArticle("<html><head><title>Trống</title></head><body></body></html>", "a.html")).toThrow(
      ArticleParseError,
    );
  });
});

describe("idFromSource", () => {
  it.each([
    ["corpus/bao-lu.html", "bao-lu"],
    ["https://vd.vn/a/b/tin-moi-123.htm?x=1", "tin-moi-123"],
    ["https://vd.vn/", "vd.vn"],
  ])("%s → %s", (source, id) => {
    expect(idFromSource(source)).toBe(id);
  });
});

describe("deeply nested pages", () => {
  const nested = (depth: number): string =>
    `<html><head><title>Sâu</title></head><body>${"<div>".repeat(depth)}<p>Một câu văn trong trang. Hai câu văn nữa ở đây.</p>${"</div>".repeat(depth)}</body></html>`;

  it("refuses a page nested deeper than MAX_NESTING_DEPTH at once, before any parser sees it", () => {
    // Before: Readability spent 32 s on 1,500 nested <div>s and 187 s on 2,500 (this test would time
    // out); the time it takes now is `npm run bench:hostile`'s to measure.
    expect(() => parseHtmlArticle(nested(2500), "deep.html")).toThrow(/deep\.html: the page nests elements more than 128 deep/);
  });

  it("still reads a page nested as deep as the limit", () => {
    expect(parseHtmlArticle(nested(MAX_NESTING_DEPTH - 3), "ok.html").body).toContain("Một câu văn trong trang.");
  });

  it("counts what parsers nest: implied end tags, void elements, comments and scripts do not deepen", () => {
    expect(nestingDepth("<div><p>a<p>b<li>c<br><img src=x></div>")).toBe(1);
    expect(nestingDepth(`<div><!-- ${"<div>".repeat(500)} --><script>${"<span>".repeat(500)}</script></div>`)).toBe(1);
    expect(nestingDepth("<section><div><span>a</span></div></section>")).toBe(3);
    expect(nestingDepth("<div><span></div><div></div>")).toBe(2); // </div> closes the stray <span> too
  });

  // Its speed on hostile pages is measured by `npm run bench:hostile`, not here: a scan from every
  // "<" to the end of the page would not finish these within the test's timeout.
  it("reads hostile tag soup: unclosed tags are no nesting, stray close tags change nothing", () => {
    expect(nestingDepth("<a ".repeat(200_000))).toBe(0);
    expect(nestingDepth("<script ".repeat(100_000))).toBe(0);
    expect(nestingDepth(`${"<div>".repeat(100)}${"</span>".repeat(200_000)}`)).toBe(100);
  });
});

describe("JSON-LD from a hostile page", () => {
  it("reads the article whatever the nesting of its JSON-LD (the walk is bounded, not recursive to any depth)", () => {
    const deep = `${"[".repeat(5000)}{"datePublished": "2024-01-02"}${"]".repeat(5000)}`;
    const page = `<html><head><title>Tin</title><script type="application/ld+json">${deep}</script></head><body><article><p>Một câu văn trong bài báo này.</p></article></body></html>`;
    const article = parseHtmlArticle(page, "ld.html");
    expect(article.body).toBe("Một câu văn trong bài báo này.");
    expect(article.publishedAt).toBeNull(); // 5,000 levels down is not where a date is looked for
  });
});
