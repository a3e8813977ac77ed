import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/domain/types";
import { chunkArticle, chunkText, type ChunkOptions } from "../../src/chunk";
import { ARTICLE_BM25, LexicalIndex, PASSAGE_BM25, type TermQuery } from "../../src/store/lexical";
import { buildSegment, passageOf, passageTextsOf, readSegment, writeSegment, type BuiltSegment } from "../../src/store/segment";
import { TermIds } from "../../src/store/term-ids";
import { TermCounter, Vocabulary } from "../../src/store/vocabulary";
import { fold, indexTerms } from "../../src/text/vietnamese";
import { testArticle } from "../helpers/articles";
import { seeded } from "../helpers/seeded";

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

describe("a segment's build (each article tokenised once, for its indexes and its vocabulary)", () => {
  const WORDS = ["Hữu", "Lũng", "hòa", "hoà", "mưa", "lũ", "3.5", "1,2", "2031", "NQ/TU", "kinh tế-văn hoá", "Thủy", "kỹ", "50.000", "😀", "𝐀𝐁", "(", ")", "-", "Sơn"];
  /** Articles whose titles end in spaces or punctuation or nothing, and whose sentences and paragraphs start with either. */
  function articles(seed: number, n: number): Article[] {
    const rng = seeded(seed);
    const pick = <T>(items: T[]) => items[Math.floor(rng() * items.length)]!;
    const words = (k: number) => Array.from({ length: 1 + Math.floor(rng() * k) }, () => pick(WORDS)).join(pick([" ", " ", "  ", ", "]));
    const sentence = () => pick(["", " ", "- ", "“"]) + words(12) + pick([".", "!", "?", "…", ""]);
    return Array.from({ length: n }, (_, i) =>
      testArticle({
        id: `a${i}`,
        title: rng() < 0.1 ? "" : words(6) + pick(["", " ", "  ", ":", "!", "."]),
        body: Array.from({ length: Math.floor(rng() * 4) }, () => Array.from({ length: 1 + Math.floor(rng() * 5) }, sentence).join(" ")).join("\n"),
      }),
    );
  }

  const passagesOf = (list: Article[], chunking: ChunkOptions) => list.flatMap((a) => chunkArticle(a, chunking).map((chunk) => ({ a, chunk })));
  const bytesOf = (file: Uint8Array) => Buffer.from(file.buffer, file.byteOffset, file.byteLength);

  it.each([40, 120, 2000])("writes what indexing and counting each text on its own writes (passages of at most %i characters)", async (maxChars) => {
    const list = articles(maxChars, 60);
    const chunking = { maxChars, overlapSentences: 1 };
    const { segment, titled } = await buildSegment("s-test", list, chunking, { complete: true });
    const passages = passagesOf(list, chunking);
    const passageIndex = await LexicalIndex.build(passages.map(({ a, chunk }, id) => ({ id, title: a.title, text: chunkText(a, chunk), ordinal: chunk.ordinal })));
    const articleIndex = await LexicalIndex.build(list.map((a, id) => ({ id, title: a.title, text: a.body, ordinal: 0 })));
    expect(bytesOf(segment.lexical.bytes).equals(bytesOf(passageIndex.bytes))).toBe(true);
    expect(bytesOf(segment.articleLexical.bytes).equals(bytesOf(articleIndex.bytes))).toBe(true);
    expect(titled()).toEqual(passageTextsOf(list, chunking));
    expect(bytesOf(segment.vocabulary.bytes).equals(bytesOf(Vocabulary.build(passageTextsOf(list, chunking), { complete: true }).bytes))).toBe(true);
  });

  it("counts every segment's passages into the shared counter, and gives their vocabulary to the last", async () => {
    const list = articles(9, 90);
    const chunking = { maxChars: 150, overlapSentences: 1 };
    const counter = new TermCounter();
    const first = await buildSegment("s-1", list.slice(0, 50), chunking, { shared: { counter, last: false } });
    const last = await buildSegment("s-2", list.slice(50), chunking, { shared: { counter, last: true } });
    expect(first.segment.vocabulary.documents).toBe(0);
    expect(bytesOf(last.segment.vocabulary.bytes).equals(bytesOf(Vocabulary.build(passageTextsOf(list, chunking)).bytes))).toBe(true);
  });
});

describe("passageOf", () => {
  it("gives a passage the terms of its own text, cut from its article's wherever no token crosses its ends", () => {
    const rng = seeded(21);
    const pieces = ["Hữu", "Lũng", "3.5", "1,2", "50.000", " ", "  ", ".", ", ", "\n", "😀", "kinh tế-văn hoá"];
    let cut = 0;
    for (let n = 0; n < 300; n++) {
      const body = Array.from({ length: 1 + Math.floor(rng() * 20) }, () => pieces[Math.floor(rng() * pieces.length)]!).join("");
      const article = testArticle({ id: `a${n}`, title: "", body });
      const terms = new TermIds();
      const whole = terms.tokenise(article.body);
      for (let k = 0; k < 5; k++) {
        const start = Math.floor(rng() * (body.length + 1));
        const end = start + Math.floor(rng() * (body.length - start + 1));
        const text = article.body.slice(start, end);
        const passage = passageOf(terms, article, whole, { id: "", articleId: article.id, ordinal: 0, start, end, sentences: [] });
        const pairs = [...passage.run.pairs.subarray(1)].filter((id) => id >= 0);
        expect([...passage.run.syllables, ...pairs].map((id) => terms.termOf(id))).toEqual(indexTerms(text));
        const first = /[\p{L}\p{N}]/u.exec(text);
        expect(passage.head).toBe(first ? text.slice(0, first.index) : null);
        if (passage.run.syllables.buffer !== whole.run.syllables.buffer) cut++;
      }
    }
    expect(cut).toBeGreaterThan(50);
  });
});
