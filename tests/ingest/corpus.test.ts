import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArticleParseError } from "../../src/domain/errors";
import { articleToMarkdown, loadCorpus } from "../../src/ingest";
import { FIXTURES } from "./paths";

describe("loadCorpus over the fixture folder", () => {
  const reported: ArticleParseError[] = [];
  let result: Awaited<ReturnType<typeof loadCorpus>>;
  beforeAll(async () => {
    result = await loadCorpus([FIXTURES], { onFailure: (e) => reported.push(e) });
  });

  it("loads every format, in sorted path order, with sources relative to the folder", () => {
    expect(result.articles.map((a) => `${a.source} ${a.id}`)).toEqual([
      "dup/tin-trung.md tin-trung",
      "html/bao-lu.html bao-lu",
      "json/list.json#1 list-1",
      "json/list.json#2 list-2",
      "json/single.json 4021",
      "jsonl/tin-ngan.jsonl#1 tn-1",
      "jsonl/tin-ngan.jsonl#2 tin-ngan-2",
      "jsonl/tin-ngan.jsonl#6 tin-ngan-6",
      "md/cho-phien.md cho-phien",
      "md/mua-lon.markdown mua-lon",
      "txt/201_rau-sach.txt 201_rau-sach",
      "txt/202_thu-vien.txt 202_thu-vien",
    ]);
  });

  it("skips README, hidden folders and unknown extensions without a word", () => {
    expect(result.files).toBe(12);
    const everything = JSON.stringify(result);
    expect(everything).not.toMatch(/README|\.hidden|notes\.csv/);
  });

  it("reports each bad file or line once, with its path, and goes on", () => {
    const failures = result.failures.map((f) => [f.path.slice(FIXTURES.length + 1), f.reason.replace(/(invalid JSON).*/, "$1")]);
    expect(failures).toEqual([
      ["dup/tin-trung.txt", "duplicate article id tin-trung (also in dup/tin-trung.md)"],
      ["json/broken.json", "invalid JSON"],
      ["jsonl/tin-ngan.jsonl", "line 4: invalid JSON"],
      ["jsonl/tin-ngan.jsonl", "line 5: the record has no text (expected a text, body or content field)"],
      ["txt/203_rong.txt", "the file is empty"],
    ]);
    expect(reported).toEqual(result.failures);
  });

  it("gives the same result on every run", async () => {
    const again = await loadCorpus([FIXTURES]);
    expect(again.articles).toEqual(result.articles);
    expect(again.failures.map((f) => f.message)).toEqual(result.failures.map((f) => f.message));
  });
});

describe("loadCorpus inputs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ingest-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("takes a single file, its source relative to its folder (or to root)", async () => {
    const file = join(FIXTURES, "txt/201_rau-sach.txt");
    const own = await loadCorpus([file]);
    expect(own.articles.map((a) => a.source)).toEqual(["201_rau-sach.txt"]);
    const rooted = await loadCorpus([file], { root: FIXTURES });
    expect(rooted.articles.map((a) => a.source)).toEqual(["txt/201_rau-sach.txt"]);
    expect(rooted.files).toBe(1);
  });

  it("reports a missing path and an explicitly named unsupported file instead of throwing", async () => {
    const missing = join(dir, "khong-co");
    const csv = join(FIXTURES, "notes.csv");
    const { articles, failures, files } = await loadCorpus([missing, csv]);
    expect(articles).toEqual([]);
    expect(files).toBe(1);
    expect(failures.map((f) => f.path)).toEqual([missing, csv]);
    expect(failures[0]!.reason).toMatch(/^cannot open: ENOENT/);
    expect(failures[1]!.reason).toMatch(/^unsupported file type/);
  });

  it("reports a duplicate id across folders and keeps the first", async () => {
    await writeFile(join(dir, "201_rau-sach.md"), "---\ntitle: Bản sao\n---\nCùng mã với bài trong thư mục khác.");
    const { articles, failures } = await loadCorpus([join(FIXTURES, "txt"), dir]);
    expect(articles.filter((a) => a.id === "201_rau-sach").map((a) => a.title)).toEqual([
      "Hợp tác xã rau sạch ở Cao Lộc mở rộng sản xuất",
    ]);
    expect(failures.map((f) => f.reason)).toContain("duplicate article id 201_rau-sach (also in 201_rau-sach.txt)");
  });

  it("loads back what articleToMarkdown saved", async () => {
    const { articles } = await loadCorpus([join(FIXTURES, "jsonl")]);
    const saved = join(dir, "saved");
    await rm(saved, { recursive: true, force: true });
    await mkdir(saved);
    for (const article of articles) await writeFile(join(saved, `${article.id}.md`), articleToMarkdown(article));
    const back = await loadCorpus([saved]);
    expect(back.failures).toEqual([]);
    const byId = new Map(back.articles.map((a) => [a.id, a]));
    for (const article of articles) expect(byId.get(article.id)).toEqual({ ...article, source: `${article.id}.md` });
  });
});
