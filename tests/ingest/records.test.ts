import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonArticles, parseJsonlArticles, recordToArticle } from "../../src/ingest/records";
import { FIXTURES } from "./paths";

const fileOf = (dir: string, name: string, stem: string) => ({
  path: join(FIXTURES, dir, name),
  source: `${dir}/${name}`,
  stem,
});
const read = (dir: string, name: string): string => readFileSync(join(FIXTURES, dir, name), "utf8");

describe("parseJsonArticles", () => {
  it("reads one record: its id (a number here) is the article id", () => {
    const { articles, failures } = parseJsonArticles(read("json", "single.json"), fileOf("json", "single.json", "single"));
    expect(failures).toEqual([]);
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      id: "4021",
      title: "Trường học vùng cao đón học sinh trở lại",
      publishedAt: "2024-06-12",
      author: "Thu Hà, Minh An",
      category: "Giáo dục",
      source: "json/single.json",
      body: "Sau kỳ nghỉ, các trường học ở xã Thanh Lòa đã đón học sinh trở lại lớp.\nNhà trường chuẩn bị đủ sách vở và bữa ăn trưa cho các em.",
    });
  });

  it("reads an array: ids and sources numbered from 1, empty title derived from the text", () => {
    const { articles } = parseJsonArticles(read("json", "list.json"), fileOf("json", "list.json", "list"));
    expect(articles.map((a) => [a.id, a.source, a.publishedAt])).toEqual([
      ["list-1", "json/list.json#1", "2024-06-13"],
      ["list-2", "json/list.json#2", null],
    ]);
    expect(articles[1]).toMatchObject({
      title: "Năm nay vườn na của gia đình ông Lộc cho năng suất cao nhất từ trước đến nay",
      captions: ["Vườn na của gia đình ông Lộc"],
      body: "Năm nay vườn na của gia đình ông Lộc cho năng suất cao nhất từ trước đến nay. Ông dự kiến thu khoảng 5 tấn quả.",
    });
  });

  it("reports a malformed file with its path", () => {
    const file = fileOf("json", "broken.json", "broken");
    const { articles, failures } = parseJsonArticles(read("json", "broken.json"), file);
    expect(articles).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.path).toBe(file.path);
    expect(failures[0]!.reason).toMatch(/^invalid JSON: /);
  });

  it("reports a bad array item and keeps the others", () => {
    const json = JSON.stringify([{ title: "Một", text: "Thân bài một." }, 42, { title: "Ba", text: "Thân bài ba." }]);
    const { articles, failures } = parseJsonArticles(json, { path: "x/a.json", source: "a.json", stem: "a" });
    expect(articles.map((a) => a.id)).toEqual(["a-1", "a-3"]);
    expect(failures.map((f) => f.message)).toEqual([expect.stringMatching(/^x\/a\.json: item 2: not an article record/)]);
  });
});

describe("parseJsonlArticles", () => {
  const file = fileOf("jsonl", "tin-ngan.jsonl", "tin-ngan");
  const { articles, failures } = parseJsonlArticles(read("jsonl", "tin-ngan.jsonl"), file);

  it("loads the good lines, numbered by physical line", () => {
    expect(articles.map((a) => [a.id, a.source])).toEqual([
      ["tn-1", "jsonl/tin-ngan.jsonl#1"],
      ["tin-ngan-2", "jsonl/tin-ngan.jsonl#2"],
      ["tin-ngan-6", "jsonl/tin-ngan.jsonl#6"],
    ]);
    expect(articles[0]).toMatchObject({
      title: "Khánh thành cầu treo bản Nà Pàn",
      publishedAt: "2024-07-01",
      url: "https://example.vn/cau-treo",
      category: "Giao thông",
    });
  });

  it("reports each bad line with path, line number and reason", () => {
    expect(failures.map((f) => [f.path, f.reason.replace(/:.*$/s, "")])).toEqual([
      [file.path, "line 4"],
      [file.path, "line 5"],
    ]);
    expect(failures[0]!.reason).toMatch(/^line 4: invalid JSON/);
    expect(failures[1]!.reason).toBe("line 5: the record has no text (expected a text, body or content field)");
  });

  it("copes with an empty title and a caption as first line", () => {
    expect(articles[1]).toMatchObject({
      title: "Sáng nay, người dân bản Nà Pàn đã có thể đi lại an toàn qua cây cầu treo mới dài 60 mét…",
      captions: ["Cầu treo mới bắc qua suối Nà Pàn"],
      author: "Minh An",
      publishedAt: "2024-07-02",
    });
    expect(articles[1]!.title.length).toBeLessThanOrEqual(90);
    expect(articles[1]!.body.startsWith("Sáng nay, người dân")).toBe(true);
  });
});

describe("recordToArticle", () => {
  it("keeps a record's author and does not guess one from the last line", () => {
    const article = recordToArticle(
      { title: "Tiêu đề", text: "Câu một của bài.\nMinh An", author: "Thu Hà" },
      "fallback",
      "s.jsonl#1",
    );
    expect(article.author).toBe("Thu Hà");
    expect(article.captions).toEqual(["Minh An"]);
  });

  it("rejects a record of the wrong shape", () => {
    expect(() => recordToArticle({ title: 3, text: "x" }, "f", "s")).toThrow(/not an article record \(title: /);
    expect(() => recordToArticle("chuỗi", "f", "s")).toThrow(/not an article record/);
  });
});
