import { describe, expect, it } from "vitest";
import { chunkArticle } from "../../src/chunk";
import { ChunkTable } from "../../src/store/chunk-table";
import { SMALL_CORPUS } from "../helpers/articles";

describe("ChunkTable", () => {
  const chunks = SMALL_CORPUS.flatMap((article) => chunkArticle(article, { maxChars: 120, overlapSentences: 1 }));
  const position = new Map(SMALL_CORPUS.map((a, i) => [a.id, i]));

  it("round-trips every chunk through its file, and finds each article's chunks", () => {
    const built = ChunkTable.encode(chunks, (id) => position.get(id)!);
    const loaded = ChunkTable.fromBuffer(built.bytes.slice().buffer, "copy");
    expect(loaded.size).toBe(chunks.length);
    expect(Array.from({ length: loaded.size }, (_, i) => loaded.at(i, SMALL_CORPUS[loaded.articleOf(i)]!.id))).toEqual(chunks);
    SMALL_CORPUS.forEach((article, a) => {
      const { from, to } = loaded.rangeOf(a);
      expect(chunks.slice(from, to).every((c) => c.articleId === article.id)).toBe(true);
      expect(to - from).toBe(chunks.filter((c) => c.articleId === article.id).length);
    });
    expect(loaded.rangeOf(SMALL_CORPUS.length)).toEqual({ from: chunks.length, to: chunks.length });
    expect(chunks.length).toBeGreaterThan(SMALL_CORPUS.length); // some articles have several
  });

  it("refuses chunks out of article order (an article's chunks must be consecutive)", () => {
    expect(() => ChunkTable.encode([...chunks].reverse(), (id) => position.get(id)!)).toThrow(/order/);
  });
});
