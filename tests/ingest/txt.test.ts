import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArticleParseError } from "../../src/domain/errors";
import { parseTextArticle } from "../../src/ingest/txt";
import { FIXTURES, REPO } from "./paths";

const squash = (text: string): string => text.replace(/\s+/g, "");

describe("parseTextArticle: the seed article", () => {
  const text = readFileSync(join(REPO, "corpus/000_354ed7ee8145b694.txt"), "utf8");
  const article = parseTextArticle(text, { id: "000_354ed7ee8145b694", source: "000_354ed7ee8145b694.txt" });

  it("reads the date line, title and by-line", () => {
    expect(article).toMatchObject({
      id: "000_354ed7ee8145b694",
      title: "Nâng cao năng lực lãnh đạo của tổ chức cơ sở đảng: Cách làm ở Hữu Lũng",
      publishedAt: "2024-03-01",
      author: "Bảo Vy",
      url: null,
      category: null,
      source: "000_354ed7ee8145b694.txt",
    });
  });

  it("drops the LSO- tag and keeps the photo caption out of the body", () => {
    expect(article.body.startsWith("Từ năm 2006 đến nay")).toBe(true);
    expect(article.captions).toEqual(["Một buổi sinh hoạt Đảng ở Đảng bộ thị trấn huyện Hữu Lũng"]);
    expect(article.body).not.toContain("Một buổi sinh hoạt Đảng");
    expect(article.body).not.toContain("LSO-");
    expect(article.body).not.toContain("Bảo Vy");
  });

  it("drops the teaser: its text appears once", () => {
    const lead = "Từ năm 2006 đến nay, tuy gặp nhiều khó khăn";
    expect(article.body.split(lead)).toHaveLength(2);
    expect(article.body.split("Ngay sau khi NQ 07 ra đời")).toHaveLength(2);
    expect(article.body).not.toMatch(/Hữu Lũng(?:Để|Đồng chí)/); // the squashed joins of the teaser
  });

  it("keeps the full body, one paragraph a line, in NFC", () => {
    const paragraphs = article.body.split("\n");
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs.at(-1)).toMatch(/^Nói về phương hướng.*ở cơ sở…$/);
    expect(article.body).toBe(article.body.normalize("NFC"));
    // Nothing of the body text is lost: the source minus header, teaser, caption and by-line.
    const lines = text.split("\n").map((l) => l.trim()).filter((l) => l);
    const expected = lines.slice(3, -1).filter((l) => !l.startsWith("Một buổi")).join("").replace("LSO-", "");
    expect(squash(article.body)).toBe(squash(expected));
  });
});

describe("parseTextArticle", () => {
  const read = (name: string): string => readFileSync(join(FIXTURES, "txt", name), "utf8");

  it("reads an article in the seed format", () => {
    const article = parseTextArticle(read("201_rau-sach.txt"), { id: "201_rau-sach", source: "txt/201_rau-sach.txt" });
    expect(article).toMatchObject({
      title: "Hợp tác xã rau sạch ở Cao Lộc mở rộng sản xuất",
      publishedAt: "2024-05-05",
      author: "Minh An",
      captions: ["Thành viên hợp tác xã thu hoạch rau cải tại cánh đồng Tân Liên"],
    });
    expect(article.body.split("\n")).toEqual([
      "Năm nay, hợp tác xã rau sạch Tân Liên ở huyện Cao Lộc mở rộng diện tích trồng rau lên 12 héc-ta. Các thành viên áp dụng quy trình canh tác an toàn.",
      "Mỗi ngày hợp tác xã cung cấp khoảng 2 tấn rau cho các bếp ăn tập thể và chợ đầu mối trong tỉnh. Giá bán ổn định giúp thu nhập của các hộ tăng rõ rệt.",
      "Ông Hoàng Văn Tiến, Giám đốc hợp tác xã cho biết: Chúng tôi sẽ xây thêm nhà lưới để trồng rau trái vụ.",
    ]);
  });

  it("loads a text without a date line: first line title, the rest body, no date", () => {
    const article = parseTextArticle(read("202_thu-vien.txt"), { id: "202_thu-vien", source: "txt/202_thu-vien.txt" });
    expect(article).toMatchObject({
      title: "Thư viện xã mở cửa buổi tối",
      publishedAt: null,
      author: null,
      captions: [],
      body:
        "Từ tháng này, thư viện xã Hoàng Đồng mở cửa thêm buổi tối để học sinh và người lao động có thể đến đọc sách sau giờ làm.\n" +
        "Thư viện có hơn ba nghìn đầu sách và một góc đọc dành cho thiếu nhi.",
    });
  });

  it("fails on an empty file", () => {
    expect(() => parseTextArticle(" \n\n", { id: "x", source: "x.txt" })).toThrow(ArticleParseError);
    expect(() => parseTextArticle("", { id: "x", source: "x.txt" })).toThrow(/empty/);
  });

  it("fails on a title without body", () => {
    expect(() => parseTextArticle("Chỉ có tiêu đề\n", { id: "x", source: "x.txt" })).toThrow(/no body text/);
  });
});

describe("parseTextArticle on hostile input", () => {
  // Hard-wrap joining once rescanned the paragraph per line: 55 s here, past the test's timeout.
  // Its speed is `npm run bench:hostile`'s to measure.
  it("reads 100,000 short lines as one paragraph", () => {
    const article = parseTextArticle("Tiêu đề\n" + "một dòng\n".repeat(100_000), { id: "x", source: "x.txt" });
    expect(article.title).toBe("Tiêu đề");
    expect(article.body.startsWith("một dòng một dòng")).toBe(true);
    expect(parseTextArticle("a\n".repeat(100_000), { id: "x", source: "x.txt" }).body.length).toBeGreaterThan(100_000);
  });
});
