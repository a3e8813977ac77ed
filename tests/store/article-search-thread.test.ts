/**
 * Whole articles searched on a second thread (src/store/article-search-thread.ts) while the
 * answering thread searches passages: the same hits as in process, across segments and tombstones,
 * and never an answer lost when the thread cannot serve.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/domain/types";
import type { Logger } from "../../src/logger";
import { silentLogger } from "../../src/logger";
import { ArticleSearchThread, buildIndex, DEFAULT_HNSW, loadIndex, type CorpusIndex, type TermQuery } from "../../src/store";
import { fold } from "../../src/text/vietnamese";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";

const chunking = { maxChars: 300, overlapSentences: 1 };
/** Never merge: every change is a segment of its own, and tombstones in the older ones. */
const NEVER = { share: Infinity, maxSegments: Infinity };

const QUERIES: TermQuery[][] = ["giá lúa", "Hữu Lũng", "huy chương vàng", "mưa lũ sạt lở", "cầu vàng du khách", "xuất khẩu gạo"].map((q) => {
  const terms = q.toLowerCase().split(" ");
  return [
    { terms, folded: false, boost: 1 },
    { terms: terms.map(fold), folded: true, boost: 0.3 },
  ];
});

const EXTRA: Article[] = [
  testArticle({ id: "lua-an-giang", title: "Giá lúa tại An Giang tăng mạnh", body: "Giá lúa tăng mạnh. Nông dân được mùa được giá.\nXuất khẩu gạo tăng." }),
  testArticle({ id: "mua-lu", title: "Mưa lũ gây sạt lở ở Lạng Sơn", body: "Mưa lũ kéo dài gây sạt lở đất ở nhiều huyện miền núi." }),
  testArticle({ id: "bong-da-nu", title: "Bóng đá nữ giành huy chương vàng", body: "Đội tuyển bóng đá nữ giành huy chương vàng sau trận chung kết." }),
];

let root: string;
let thread: ArticleSearchThread;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "article-thread-test-"));
  thread = new ArticleSearchThread(silentLogger);
});
afterEach(async () => {
  await thread.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** An index on disk of the small corpus, then the extra articles added, one of the first changed and one deleted: three segments, tombstones in two. */
async function segmentedIndex(): Promise<CorpusIndex> {
  const dir = path.join(root, "index");
  const build = (articles: Article[], previous?: CorpusIndex) =>
    buildIndex({ dir, articles, embedder: null, chunking, hnsw: DEFAULT_HNSW, merge: NEVER, allowRemovals: true, ...(previous ? { previous } : {}) });
  const first = (await build(SMALL_CORPUS)).index!;
  const second = (await build([...SMALL_CORPUS, ...EXTRA], first)).index!;
  const [changed, deleted, ...kept] = SMALL_CORPUS;
  await build([{ ...changed!, body: `${changed!.body}\nGiá lúa và xuất khẩu gạo được nhắc lại.` }, ...kept, ...EXTRA], second);
  void deleted;
  const index = await loadIndex(dir, { model: null });
  expect(index.segments.length).toBe(3);
  return index;
}

describe("the article search thread", () => {
  it("returns the same hits as the search in process, across segments and tombstones, without running it here", async () => {
    const index = await segmentedIndex();
    expect(await index.searchArticlesOn(thread)).toBe(true);
    expect(index.articlesSearchedAside).toBe(true);
    const inProcess = vi.spyOn(index, "searchArticles");
    for (const queries of QUERIES) {
      for (const limit of [1, 3, 25]) {
        const aside = await index.searchArticlesAside(queries, undefined, limit);
        inProcess.mockClear();
        expect(aside).toEqual(index.searchArticles(queries, undefined, limit));
      }
    }
    // Every call above but the reference ones ran on the thread.
    inProcess.mockClear();
    await index.searchArticlesAside(QUERIES[0]!, undefined, 5);
    expect(inProcess).not.toHaveBeenCalled();
    // A tombstoned article is never returned there either.
    const hits = await index.searchArticlesAside(QUERIES[0]!, undefined, 50);
    expect(hits.map((h) => index.articles[h.id]!.id)).not.toContain(SMALL_CORPUS[1]!.id);
  });

  it("runs a filtered search in process (the filter cannot cross threads)", async () => {
    const index = await segmentedIndex();
    await index.searchArticlesOn(thread);
    const inProcess = vi.spyOn(index, "searchArticles");
    const only = (id: string) => id === "lua-an-giang";
    const hits = await index.searchArticlesAside(QUERIES[0]!, only, 5);
    expect(inProcess).toHaveBeenCalledTimes(1);
    expect(hits.map((h) => index.articles[h.id]!.id)).toEqual(["lua-an-giang"]);
  });

  it("searches in process until the version is open there, and after it is closed there", async () => {
    const index = await segmentedIndex();
    const opened = index.searchArticlesOn(thread);
    expect(index.articlesSearchedAside).toBe(false);
    const early = await index.searchArticlesAside(QUERIES[1]!, undefined, 5);
    expect(await opened).toBe(true);
    expect(early).toEqual(await index.searchArticlesAside(QUERIES[1]!, undefined, 5));
    await index.searchArticlesOn(null);
    expect(index.articlesSearchedAside).toBe(false);
    const inProcess = vi.spyOn(index, "searchArticles");
    expect(await index.searchArticlesAside(QUERIES[1]!, undefined, 5)).toEqual(early);
    expect(inProcess).toHaveBeenCalledTimes(1);
  });

  it("a version closed there before it was open resolves its opening to false, and a reopened one is searched there", async () => {
    const index = await segmentedIndex();
    const opening = index.searchArticlesOn(thread);
    await index.searchArticlesOn(null);
    expect(await opening).toBe(false);
    expect(index.articlesSearchedAside).toBe(false);
    expect(await index.searchArticlesOn(thread)).toBe(true);
    expect(await index.searchArticlesAside(QUERIES[4]!, undefined, 5)).toEqual(index.searchArticles(QUERIES[4]!, undefined, 5));
  });

  it("a version whose files cannot be read there is not opened: its searches stay in process, and the thread serves others", async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    thread = new ArticleSearchThread(logger);
    const index = await segmentedIndex();
    const expected = index.searchArticles(QUERIES[2]!, undefined, 5);
    // The answering thread holds its files open; the thread opens them by name, and they are gone.
    await fs.rename(path.join(root, "index"), path.join(root, "moved"));
    expect(await index.searchArticlesOn(thread)).toBe(false);
    expect(index.articlesSearchedAside).toBe(false);
    expect(await index.searchArticlesAside(QUERIES[2]!, undefined, 5)).toEqual(expected);
    expect(warnings).toHaveLength(1);
    expect(thread.usable).toBe(true);

    const other = await loadIndex(path.join(root, "moved"), { model: null });
    expect(await other.searchArticlesOn(thread)).toBe(true);
    expect(await other.searchArticlesAside(QUERIES[2]!, undefined, 5)).toEqual(other.searchArticles(QUERIES[2]!, undefined, 5));
  });

  it("once closed, the thread is not used again, and searches run in process", async () => {
    const index = await segmentedIndex();
    await index.searchArticlesOn(thread);
    await thread.close();
    expect(thread.usable).toBe(false);
    expect(index.articlesSearchedAside).toBe(false);
    const inProcess = vi.spyOn(index, "searchArticles");
    expect((await index.searchArticlesAside(QUERIES[3]!, undefined, 5)).length).toBeGreaterThan(0);
    expect(inProcess).toHaveBeenCalledTimes(1);
    expect(await index.searchArticlesOn(thread)).toBe(false);
  });
});
