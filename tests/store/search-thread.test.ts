/**
 * A question's searches on two threads (src/store/search-thread.ts): the search thread takes the
 * whole articles and a share of the passages while the answering thread searches the others. The
 * same hits as in process, across segments and tombstones, and never an answer lost when the
 * thread cannot serve.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/domain/types";
import type { Logger } from "../../src/logger";
import { silentLogger } from "../../src/logger";
import { buildIndex, DEFAULT_HNSW, LexicalIndex, loadIndex, SearchThread, SegmentedLexical, type CorpusIndex, type TermQuery } from "../../src/store";
import { mergeHits } from "../../src/store/segmented-lexical";
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
let thread: SearchThread;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "article-thread-test-"));
  thread = new SearchThread(silentLogger);
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

/** What `searchBoth` must return: the two searches in process. */
const reference = (index: CorpusIndex, queries: TermQuery[], passageLimit: number, articleLimit: number) => ({
  passages: index.searchLexical(queries, undefined, passageLimit),
  articles: index.searchArticles(queries, undefined, articleLimit),
});

describe("a search over ranges of passage ids", () => {
  it("merged, the best hits of ranges that cover the ids are the best hits of all, with the same scores", async () => {
    const docs = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: i, ordinal: i % 3, title: `Tin ${from + i}`, text: ["Giá lúa tăng mạnh ở An Giang.", "Mưa lũ gây sạt lở đất.", "Xuất khẩu gạo đạt kỷ lục, giá lúa cao.", "Đội tuyển giành huy chương vàng."][(from + i) % 4]!.repeat(1 + ((from + i) % 3)) }));
    const [a, b] = [await LexicalIndex.build(docs(0, 40)), await LexicalIndex.build(docs(40, 25))];
    const dead = new Uint8Array(40).map((_, i) => (i % 7 === 0 ? 1 : 0));
    const lexical = new SegmentedLexical([
      { index: a, dead, deadDf: await a.deadFrequencies(dead) },
      { index: b, dead: null, deadDf: null },
    ]);
    for (const queries of QUERIES) {
      for (const limit of [1, 5, 100]) {
        const whole = lexical.search(queries, undefined, limit);
        for (const split of [0, 1, 17, 40, 41, 64, 65]) {
          const shares = [lexical.search(queries, undefined, limit, undefined, { from: 0, to: split }), lexical.search(queries, undefined, limit, undefined, { from: split, to: 65 })];
          expect(shares[0]!.every((hit) => hit.id < split) && shares[1]!.every((hit) => hit.id >= split)).toBe(true);
          expect(mergeHits(shares, limit)).toEqual(whole);
        }
      }
    }
  });
});

describe("the search thread", () => {
  it("returns the same passages and articles as the searches in process, across segments and tombstones, without running them here", async () => {
    const index = await segmentedIndex();
    expect(await index.searchOn(thread)).toBe(true);
    expect(index.searchedOnTwoThreads).toBe(true);
    const passagesHere = vi.spyOn(index, "searchLexical");
    const articlesHere = vi.spyOn(index, "searchArticles");
    for (const queries of QUERIES) {
      for (const [passageLimit, articleLimit] of [[1, 1], [5, 3], [100, 25]] as const) {
        const both = await index.searchBoth(queries, { passageLimit, articleLimit });
        expect(passagesHere).not.toHaveBeenCalled();
        expect(articlesHere).not.toHaveBeenCalled();
        expect(both).toEqual(reference(index, queries, passageLimit, articleLimit));
        passagesHere.mockClear();
        articlesHere.mockClear();
      }
    }
    // A tombstoned article, and its passages, are never returned there either.
    const { passages, articles } = await index.searchBoth(QUERIES[0]!, { passageLimit: 100, articleLimit: 50 });
    expect(articles.map((h) => index.articles[h.id]!.id)).not.toContain(SMALL_CORPUS[1]!.id);
    expect(passages.map((h) => index.articleIdOf(h.id))).not.toContain(SMALL_CORPUS[1]!.id);
  });

  it("runs filtered searches in process (a filter cannot cross threads)", async () => {
    const index = await segmentedIndex();
    await index.searchOn(thread);
    const articlesHere = vi.spyOn(index, "searchArticles");
    const only = (id: string) => id === "lua-an-giang";
    const { articles, passages } = await index.searchBoth(QUERIES[0]!, { passageLimit: 5, passageFilter: (p) => only(index.articleIdOf(p)), articleLimit: 5, articleFilter: only });
    expect(articlesHere).toHaveBeenCalledTimes(1);
    expect(articles.map((h) => index.articles[h.id]!.id)).toEqual(["lua-an-giang"]);
    expect(new Set(passages.map((h) => index.articleIdOf(h.id)))).toEqual(new Set(["lua-an-giang"]));
  });

  it("searches in process until the version is open there, and after it is closed there", async () => {
    const index = await segmentedIndex();
    const opened = index.searchOn(thread);
    expect(index.searchedOnTwoThreads).toBe(false);
    const early = await index.searchBoth(QUERIES[1]!, { passageLimit: 5, articleLimit: 5 });
    expect(await opened).toBe(true);
    expect(early).toEqual(await index.searchBoth(QUERIES[1]!, { passageLimit: 5, articleLimit: 5 }));
    await index.searchOn(null);
    expect(index.searchedOnTwoThreads).toBe(false);
    const articlesHere = vi.spyOn(index, "searchArticles");
    expect(await index.searchBoth(QUERIES[1]!, { passageLimit: 5, articleLimit: 5 })).toEqual(early);
    expect(articlesHere).toHaveBeenCalledTimes(1);
  });

  it("a version closed there before it was open resolves its opening to false, and a reopened one is searched there", async () => {
    const index = await segmentedIndex();
    const opening = index.searchOn(thread);
    await index.searchOn(null);
    expect(await opening).toBe(false);
    expect(index.searchedOnTwoThreads).toBe(false);
    expect(await index.searchOn(thread)).toBe(true);
    expect(await index.searchBoth(QUERIES[4]!, { passageLimit: 10, articleLimit: 5 })).toEqual(reference(index, QUERIES[4]!, 10, 5));
  });

  it("opens a version whose segments the answering thread read from a version folder since removed", async () => {
    const dir = path.join(root, "index");
    const build = (articles: Article[], previous?: CorpusIndex) =>
      buildIndex({ dir, articles, embedder: null, chunking, hnsw: DEFAULT_HNSW, merge: NEVER, ...(previous ? { previous } : {}) });
    await build(SMALL_CORPUS);
    const first = await loadIndex(dir, { model: null });
    const second = (await build([...SMALL_CORPUS, EXTRA[0]!], first)).index!;
    await build([...SMALL_CORPUS, ...EXTRA], second);
    // Two versions are kept: the first one's folder, where `first` read its segment, is gone.
    await expect(fs.access(first.location!)).rejects.toThrow();
    const third = await loadIndex(dir, { model: null, previous: first });
    expect(third.segments[0]).toBe(first.segments[0]);
    expect(await third.searchOn(thread)).toBe(true);
    expect(await third.searchBoth(QUERIES[0]!, { passageLimit: 10, articleLimit: 5 })).toEqual(reference(third, QUERIES[0]!, 10, 5));
  });

  it("a version whose files cannot be read there is not opened: its searches stay in process, and the thread serves others", async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    thread = new SearchThread(logger);
    const index = await segmentedIndex();
    const expected = reference(index, QUERIES[2]!, 10, 5);
    // The answering thread holds its files open; the thread opens them by name, and they are gone.
    await fs.rename(path.join(root, "index"), path.join(root, "moved"));
    expect(await index.searchOn(thread)).toBe(false);
    expect(index.searchedOnTwoThreads).toBe(false);
    expect(await index.searchBoth(QUERIES[2]!, { passageLimit: 10, articleLimit: 5 })).toEqual(expected);
    expect(warnings).toHaveLength(1);
    expect(thread.usable).toBe(true);

    const other = await loadIndex(path.join(root, "moved"), { model: null });
    expect(await other.searchOn(thread)).toBe(true);
    expect(await other.searchBoth(QUERIES[2]!, { passageLimit: 10, articleLimit: 5 })).toEqual(reference(other, QUERIES[2]!, 10, 5));
  });

  it("once closed, the thread is not used again, and searches run in process", async () => {
    const index = await segmentedIndex();
    await index.searchOn(thread);
    await thread.close();
    expect(thread.usable).toBe(false);
    expect(index.searchedOnTwoThreads).toBe(false);
    const articlesHere = vi.spyOn(index, "searchArticles");
    expect((await index.searchBoth(QUERIES[3]!, { passageLimit: 5, articleLimit: 5 })).articles.length).toBeGreaterThan(0);
    expect(articlesHere).toHaveBeenCalledTimes(1);
    expect(await index.searchOn(thread)).toBe(false);
  });
});
