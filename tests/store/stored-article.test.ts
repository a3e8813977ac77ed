import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BODY_CACHE_ARTICLES, StoredArticle, ArticleFile, catalogRow } from "../../src/store/stored-article";
import { testArticle } from "../helpers/articles";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "stored-article-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Articles written as a segment writes them: one JSON line each, and their catalog rows. */
async function write(count: number) {
  const articles = Array.from({ length: count }, (_, i) =>
    testArticle({ id: `a${i}`, title: `Bài ${i}`, body: `Nội dung thứ ${i}: người dân “hữu ích” 😀.\nĐoạn hai.`, captions: [`Ảnh ${i}`] }),
  );
  const lines = articles.map((a) => JSON.stringify(a) + "\n");
  const file = path.join(dir, "articles.jsonl");
  await fs.writeFile(file, lines.join(""));
  let offset = 0;
  const rows = lines.map((line, i) => {
    const row = catalogRow(articles[i]!, offset, Buffer.byteLength(line) - 1);
    offset += Buffer.byteLength(line);
    return row;
  });
  return { articles, file, rows };
}

describe("StoredArticle", () => {
  it("reads each body and captions on demand, equal to the written ones, beyond the cache's size", async () => {
    const { articles, file, rows } = await write(BODY_CACHE_ARTICLES + 40);
    const texts = ArticleFile.open(file);
    const stored = articles.map((a, i) => new StoredArticle(a.id, rows[i]!, texts));
    for (const round of [0, 1]) {
      stored.forEach((s, i) => {
        expect(s.body, `round ${round}`).toBe(articles[i]!.body);
        expect(s.captions).toEqual(articles[i]!.captions);
      });
    }
    expect(stored.map((s) => JSON.parse(JSON.stringify(s)))).toEqual(articles);
    expect(stored[3]!.title).toBe("Bài 3");
  });

  it("keeps reading after its file is unlinked (a pruned version folder)", async () => {
    const { articles, file, rows } = await write(2);
    const texts = ArticleFile.open(file);
    const stored = new StoredArticle("a1", rows[1]!, texts);
    await fs.rm(file);
    expect(stored.body).toBe(articles[1]!.body);
  });
});
