import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { titledText } from "../../src/chunk";
import { cosine } from "../../src/embed";
import { buildIndex, DEFAULT_HNSW, loadIndex, readManifest } from "../../src/store";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { hashingEmbedder } from "../helpers/hashing-embedder";

const chunking = { maxChars: 300, overlapSentences: 1 };
/** Never merge: every change is a new segment and tombstones. */
const NEVER = { share: Infinity, maxSegments: Infinity };
let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "stored-vectors-test-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("CorpusIndex.cosineTo", () => {
  it("gives every live passage's similarity from the vectors written, in every segment, after deletions", async () => {
    const embedder = hashingEmbedder();
    const dir = path.join(root, "index");
    const build = (articles = SMALL_CORPUS, previous: Awaited<ReturnType<typeof buildIndex>>["index"] = null) =>
      buildIndex({ dir, articles, embedder, chunking, hnsw: DEFAULT_HNSW, merge: NEVER, previous, allowRemovals: true });
    const first = await build();
    const added = testArticle({ id: "ca-heo", title: "Cá heo ở Nha Trang", body: "Đàn cá heo xuất hiện gần bờ biển Nha Trang sáng nay.\nNgư dân kể lại." });
    // One article added and one deleted: a second segment, and a tombstone in the first.
    const { index } = await build([...SMALL_CORPUS.slice(1), added], first.index);
    expect((await readManifest(dir))!.segments.length).toBe(2);

    const question = await embedder.embedQuery("cá heo Nha Trang giá lúa An Giang");
    const model = { id: embedder.modelId, dimensions: embedder.dimensions };
    for (const loaded of [index!, await loadIndex(dir, { model })]) {
      expect(loaded.chunkCount).toBeGreaterThan(0);
      expect(loaded.chunkPositionsOf(added.id).length).toBeGreaterThan(0);
      expect(loaded.chunkPositionsOf(SMALL_CORPUS[0]!.id)).toEqual([]);
      for (let position = 0; position < loaded.chunkCount; position++) {
        // The passage as it was embedded: its text under its article's title.
        const chunk = loaded.chunk(position);
        const article = loaded.article(chunk.articleId)!;
        const expected = cosine(question, await embedder.embedQuery(titledText(article.title, article.body.slice(chunk.start, chunk.end))));
        expect(loaded.cosineTo(question, position)).toBeCloseTo(expected, 5);
      }
    }
    // An index without vectors has no similarity to give.
    expect((await loadIndex(dir, { model: null })).cosineTo(question, 0)).toBeNull();
  });
});
