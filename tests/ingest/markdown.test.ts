import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeArticle } from "../../src/ingest/article";
import { markdownToText, parseMarkdownArticle } from "../../src/ingest/markdown";
import { articleToMarkdown } from "../../src/ingest/write";
import { FIXTURES } from "./paths";

describe("parseMarkdownArticle", () => {
  it("reads front matter and strips markup to plain paragraphs", () => {
    const text = readFileSync(join(FIXTURES, "md/cho-phien.md"), "utf8");
    const article = parseMarkdownArticle(text, { id: "cho-phien", source: "md/cho-phien.md" });
    expect(article).toMatchObject({
      id: "cho-phien",
      title: "Chợ phiên vùng cao nhộn nhịp ngày cuối tuần",
      publishedAt: "2024-04-14", // YAML gives a Date here
      author: "Thu Hà",
      url: "https://example.vn/cho-phien",
      category: "Đời sống",
      captions: ["Người dân mua bán tại chợ phiên"],
    });
    expect(article.body.split("\n")).toEqual([
      "Sáng chủ nhật, chợ phiên Đồng Đăng đông vui từ sớm. Người dân các bản mang nông sản xuống chợ bán.",
      "Đặc sản theo mùa",
      "Mùa này, chợ có nhiều măng rừng, mật ong và hạt dẻ.",
      "Măng rừng giá 30.000 đồng/kg.",
      "Hạt dẻ giá 80.000 đồng/kg.",
      "Chợ phiên là nơi gặp gỡ của bà con các dân tộc.",
    ]);
  });

  it("takes the title from the first # heading, which then leaves the body", () => {
    const text = readFileSync(join(FIXTURES, "md/mua-lon.markdown"), "utf8");
    const article = parseMarkdownArticle(text, { id: "mua-lon", source: "md/mua-lon.markdown" });
    expect(article.title).toBe("Mưa lớn gây sạt lở ở Tràng Định");
    expect(article.body).toBe(
      "Đêm qua, mưa lớn kéo dài khiến một đoạn đường liên xã bị sạt lở. Lực lượng chức năng đã khắc phục xong trong sáng nay.",
    );
    expect(article.publishedAt).toBeNull();
  });

  it("prefers the front matter id to the file stem", () => {
    const article = parseMarkdownArticle("---\nid: 17\ntitle: T\n---\nThân bài.", { id: "stem", source: "s.md" });
    expect(article.id).toBe("17");
  });

  it("reports invalid front matter", () => {
    expect(() => parseMarkdownArticle("---\ntitle: [chưa đóng\n---\nThân bài.", { id: "x", source: "x.md" })).toThrow(
      /invalid front matter/,
    );
  });
});

describe("markdownToText", () => {
  it("handles the inline and block markup articles use", () => {
    const md = [
      "Setext tiêu đề",
      "==============",
      "",
      "Câu có ***nhấn mạnh***, __đậm__, ~~gạch~~, `mã *không* đổi`, <https://vd.vn> và [liên kết][1].",
      "Dòng nối tiếp\\",
      "sau ngắt dòng, snake_case giữ nguyên, 2 * 3 * 4 = 24, \\*sao\\* và &amp; &#273;.",
      "",
      "[1]: https://vd.vn/lk",
      "",
      "***",
      "",
      "1. Mục một",
      "2) Mục hai",
      "",
      "| Cột | Giá |",
      "| --- | --- |",
      "| Lúa | 8.000 |",
      "",
      "<!-- ghi chú",
      "nhiều dòng -->",
      "```",
      "mã **nguyên văn**",
      "```",
      "![Ảnh cầu](cau.jpg)",
      "*Cây cầu mới nhìn từ trên cao*",
      "",
      "Đoạn <b>HTML</b> cuối.",
    ].join("\n");
    const text = markdownToText(md);
    expect(text.paragraphs).toEqual([
      "Setext tiêu đề",
      "Câu có nhấn mạnh, đậm, gạch, mã *không* đổi, https://vd.vn và liên kết. Dòng nối tiếp sau ngắt dòng, snake_case giữ nguyên, 2 * 3 * 4 = 24, *sao* và & đ.",
      "Mục một",
      "Mục hai",
      "Cột | Giá",
      "Lúa | 8.000",
      "mã **nguyên văn**",
      "Đoạn HTML cuối.",
    ]);
    expect(text.captions).toEqual(["Ảnh cầu", "Cây cầu mới nhìn từ trên cao"]);
    expect(text.firstHeading).toEqual({ text: "Setext tiêu đề", index: 0 });
  });
});

describe("articleToMarkdown", () => {
  const article = makeArticle({
    id: "bai-moi-1",
    title: "Giá lúa: tăng 5% # so với *tháng trước*",
    publishedAt: "2024-06-01",
    author: "Thu Hà",
    url: "https://example.vn/gia-lua?a=1&b=2",
    category: "Kinh tế",
    body: [
      "# Không phải tiêu đề: dấu thăng ở đầu đoạn.",
      "- Không phải mục danh sách, 2 * 3 = 6, a_b_c, [ngoặc vuông](không phải liên kết).",
      "1. Không phải danh sách đánh số; <b>không phải thẻ</b> &amp; không phải thực thể.",
      "> Không phải trích dẫn \\ với gạch chéo ngược ` và ~~.",
      "---",
      "2024. Năm bản lề.",
    ],
    captions: ["Nông dân thu hoạch lúa", "Ảnh: *Thu Hà*"],
    source: "inbox/bai-moi-1.md",
  });

  it("writes front matter and blank-line separated paragraphs", () => {
    const md = articleToMarkdown(article);
    expect(md.startsWith("---\nid: bai-moi-1\n")).toBe(true);
    expect(md).toContain("\ncaptions:\n  - Nông dân thu hoạch lúa\n");
    expect(md).toMatch(/^date: '2024-06-01'$/m); // quoted: stays a string, not a YAML date
  });

  it("round-trips: parsing the Markdown back gives the same article", () => {
    const back = parseMarkdownArticle(articleToMarkdown(article), { id: "other-stem", source: article.source });
    expect(back).toEqual(article);
  });

  it("round-trips a body whose first paragraph repeats the title", () => {
    const same = makeArticle({ id: "t", title: "Cùng một câu", body: ["Cùng một câu", "Tiếp."], source: "t.md" });
    expect(parseMarkdownArticle(articleToMarkdown(same), { id: "t", source: "t.md" })).toEqual(same);
  });

  it("round-trips any text (property)", () => {
    const char = fc.constantFrom(..."ẢaăâđêôơưAĐỹỵờ ếộ0123456789.,:;!?-+=#>*_`~[]()<>&;\\|/\"'…“”\t".split(""));
    const line = fc.string({ unit: char, minLength: 1, maxLength: 40 });
    // Ids that YAML would read as numbers, dates or booleans if written unquoted.
    const ids = fc.string({ unit: fc.constantFrom(..."0123456789_-.:eExo".split("")), minLength: 1, maxLength: 12 });
    const bodies = fc.array(line, { minLength: 1, maxLength: 4 });
    const captionLists = fc.array(line, { maxLength: 2 });
    fc.assert(
      fc.property(ids, line, bodies, captionLists, (id, title, body, captions) => {
        let original;
        try {
          original = makeArticle({ id, title, body, captions, source: "p.md" });
        } catch {
          return; // blank title or body: not an article
        }
        expect(parseMarkdownArticle(articleToMarkdown(original), { id: "p", source: "p.md" })).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});

describe("front matter never runs code", () => {
  // gray-matter's default engines eval "---js" front matter: each of these would set the marker.
  const run = "(globalThis.__frontMatterRan = true, { title: 'T' })";
  const languages = ["js", "javascript", "JS", " javascript ", "coffee", "coffeescript", "cson"];

  it.each(languages)("refuses ---%s front matter, naming the file, and runs nothing", (language) => {
    const text = `---${language}\n${run}\n---\nMột câu.\n`;
    const parse = () => parseMarkdownArticle(text, { id: "x", source: "uploads/x.md" });
    expect(parse).toThrow(/uploads\/x\.md: .*only YAML front matter/);
    expect((globalThis as { __frontMatterRan?: boolean }).__frontMatterRan).toBeUndefined();
  });

  it("reads YAML with the safe schema: a !!js/function tag is an error, not a function", () => {
    const text = "---\ntitle: !!js/function 'function () { globalThis.__frontMatterRan = true }'\n---\nMột câu.\n";
    expect(() => parseMarkdownArticle(text, { id: "x", source: "x.md" })).toThrow(/x\.md: invalid front matter/);
    expect((globalThis as { __frontMatterRan?: boolean }).__frontMatterRan).toBeUndefined();
  });

  it("still reads ---yaml and plain --- front matter", () => {
    for (const open of ["---", "---yaml", "---yml"]) {
      const article = parseMarkdownArticle(`${open}\ntitle: Tiêu đề\n---\nMột câu.\n`, { id: "x", source: "x.md" });
      expect(article.title).toBe("Tiêu đề");
    }
  });
});

describe("markdownToText on hostile input", () => {
  // Each took seconds to minutes before (100,000 "[": 8.6 s on the machine).
  const hostile: Record<string, string> = {
    "100,000 [": "[".repeat(100_000),
    "50,000 ![": "![".repeat(50_000),
    "[ on 50,000 lines": "[\n".repeat(50_000),
    "unclosed emphasis": "a *b ".repeat(20_000),
    "bold runs": "**a ".repeat(25_000),
    "unclosed code": "``a `".repeat(20_000),
  };

  // Each once took minutes (past the test's timeout); how long they take now is
  // `npm run bench:hostile`'s to measure.
  it.each(Object.entries(hostile))("%s: read to its text (the stray markup read as text)", (_name, markdown) => {
    const text = markdownToText(markdown).paragraphs.join("\n");
    expect(text.length).toBeGreaterThan(markdown.length / 4);
  });

  it("keeps a 200,000-line code block (no spread of its lines onto the stack)", () => {
    expect(markdownToText(`\`\`\`\n${"x\n".repeat(200_000)}\`\`\`\n`).paragraphs).toHaveLength(200_000);
  });

  it("still strips nested emphasis, links with brackets around them and code", () => {
    expect(markdownToText("***a*** **b _c_ d** [x](http://e.vn) `e*f` ~~g~~").paragraphs).toEqual(["a b c d x e*f g"]);
  });
});
