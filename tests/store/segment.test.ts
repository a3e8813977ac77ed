import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/domain/types";
import { ARTICLE_BM25, PASSAGE_BM25, type LexicalIndex, type TermQuery } from "../../src/store/lexical";
import { buildSegment, readSegment, writeSegment, type BuiltSegment } from "../../src/store/segment";
import { fold } from "../../src/text/vietnamese";
import { testArticle } from "../helpers/articles";

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "segment-test-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Builds a segment of these articles, writes it and reads it back. */
async function roundTrip(articles: Article[], maxChars: number): Promise<{ built: BuiltSegment; loaded: Awaited<ReturnType<typeof readSegment>> }> {
  const { segment: built } = await buildSegment("s-test", articles, { maxChars, overlapSentences: 1 });
  const folder = path.join(root, `s-${maxChars}`);
  await fs.mkdir(folder);
  await writeSegment(folder, built, null, (file, write) => write(path.join(folder, file)));
  return { built, loaded: await readSegment(folder) };
}

/** Every syllable of the articles, exact and folded, three at a time: each index answers as the built one, bit for bit. */
function expectSameSearches(articles: Article[], loaded: LexicalIndex, built: LexicalIndex, params = PASSAGE_BM25): void {
  const words = [...new Set(articles.flatMap((a) => `${a.title} ${a.body}`.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean))];
  for (let i = 0; i < words.length; i += 3) {
    const queries: TermQuery[] = [
      { terms: words.slice(i, i + 3), folded: false, boost: 1 },
      { terms: words.slice(i, i + 3).map(fold), folded: true, boost: 0.3 },
    ];
    expect(loaded.search(queries, undefined, 100, params)).toEqual(built.search(queries, undefined, 100, params));
    expect(loaded.searchExhaustive(queries, undefined, 100, params)).toEqual(built.searchExhaustive(queries, undefined, 100, params));
  }
}

/** Both indexes of the loaded segment answer as the built segment's. */
function expectAnswersAsBuilt(articles: Article[], loaded: { lexical: LexicalIndex; articleLexical: LexicalIndex }, built: BuiltSegment): void {
  expectSameSearches(articles, loaded.lexical, built.lexical);
  expectSameSearches(articles, loaded.articleLexical, built.articleLexical, ARTICLE_BM25);
}

describe("a segment read from disk", () => {
  it("holds one dictionary for its two indexes when they index the same terms", async () => {
    // One passage per article: the two indexes see the same text, in the same order.
    const articles = [
      testArticle({ id: "a", title: "Giá lúa tăng", body: "Giá lúa tại An Giang tăng mạnh trong tháng này. Nông dân phấn khởi vì được mùa.\nThương lái đến tận ruộng để thu mua lúa gạo." }),
      testArticle({ id: "b", title: "Mưa lũ miền núi", body: "Mưa lũ gây sạt lở đất ở nhiều huyện miền núi. Chính quyền huyện đã sơ tán hàng trăm hộ dân." }),
    ];
    const { built, loaded } = await roundTrip(articles, 2000);
    expect(loaded.articleLexical.sharedWith(loaded.lexical)).toEqual({ terms: true, folded: true, spellings: true });
    expectAnswersAsBuilt(articles, loaded, built);
  });

  it("shares only the parts that are the same: a folded form's spellings in another order", async () => {
    // "hưu" comes first in the first passage's title, "hữu" in the article's body (the second passage).
    const articles = [
      testArticle({ id: "a", title: "Chuyện hưu", body: "Người lao động ở tỉnh này làm việc chăm chỉ cả năm.\nÔng nói rằng bạn bè là điều hữu ích nhất đời." }),
    ];
    const { built, loaded } = await roundTrip(articles, 60);
    expect(built.chunks.length).toBeGreaterThan(1);
    const spellings = (index: LexicalIndex) => [...index.termIdsOf("huu", true)].map((id) => index.termAt(id));
    expect([spellings(loaded.lexical), spellings(loaded.articleLexical)]).toEqual([["hưu", "hữu"], ["hữu", "hưu"]]);
    expect(loaded.articleLexical.sharedWith(loaded.lexical)).toEqual({ terms: true, folded: true, spellings: false });
    expectAnswersAsBuilt(articles, loaded, built);
  });

  it("keeps the article index's own dictionary when its terms differ, and answers as built", async () => {
    // A passage of one long sentence, then one of the next paragraph: no passage holds the pair
    // across them ("núi lúa", only spaces between), the whole article does.
    const articles = [
      testArticle({ id: "a", title: "Mùa màng", body: "Mưa lớn kéo dài nhiều ngày ở các huyện vùng núi\nLúa chín vàng trên những cánh đồng ven sông." }),
    ];
    const { built, loaded } = await roundTrip(articles, 40);
    expect([loaded.lexical.documentFrequency("núi_lúa"), loaded.articleLexical.documentFrequency("núi_lúa")]).toEqual([0, 1]);
    expect(loaded.articleLexical.sharedWith(loaded.lexical)).toEqual({ terms: false, folded: false, spellings: false });
    expectAnswersAsBuilt(articles, loaded, built);
  });
});
