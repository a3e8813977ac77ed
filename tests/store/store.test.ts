import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexError } from "../../src/domain/errors";
import type { Embedder } from "../../src/domain/types";
import { buildIndex, currentVersion, DEFAULT_HNSW, FORMAT_VERSION, loadIndex, readManifest } from "../../src/store";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { ChunkTable } from "../../src/store/chunk-table";
import { hashingEmbedder } from "../helpers/hashing-embedder";

const chunking = { maxChars: 300, overlapSentences: 1 };
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "store-test-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const build = (embedder: Embedder | null, articles = SMALL_CORPUS, extra: Partial<Parameters<typeof buildIndex>[0]> = {}) =>
  buildIndex({ dir, articles, embedder, chunking, hnsw: DEFAULT_HNSW, ...extra });

describe("store", () => {
  it("saves and loads an index that answers every search exactly as before", async () => {
    const embedder = hashingEmbedder();
    const built = (await build(embedder)).index!;
    const loaded = await loadIndex(dir, { model: { id: embedder.modelId, dimensions: embedder.dimensions } });
    expect(loaded.articles).toEqual(built.articles);
    const chunks = (index: typeof built) => Array.from({ length: index.chunkCount }, (_, i) => index.chunk(i));
    expect(chunks(loaded)).toEqual(chunks(built));
    expect(chunks(loaded).map((_, p) => loaded.articleIdOf(p))).toEqual(chunks(loaded).map((c) => c.articleId));
    // Bodies are read from the segment's file on demand: they are the ones written.
    expect(loaded.articles.map((a) => [a.body, a.captions])).toEqual(SMALL_CORPUS.map((a) => [a.body, a.captions]));
    expect(loaded.manifest).toEqual(built.manifest);
    for (const q of ["giá lúa", "huy chương vàng", "sạt lở Lạng Sơn"]) {
      const queries = [{ terms: q.split(" "), folded: false, boost: 1 }];
      expect(loaded.searchLexical(queries)).toEqual(built.searchLexical(queries));
      const vector = await embedder.embedQuery(q);
      expect(loaded.searchVector(vector, 5)).toEqual(built.searchVector(vector, 5));
    }
  });

  it("lists an article's sentences once each, in order, though its passages overlap", async () => {
    const index = (await build(null)).index!;
    for (const article of index.articles) {
      const passages = index.chunkPositionsOf(article.id).map((p) => index.chunk(p));
      const sentences = index.sentencesOf(article.id);
      const starts = sentences.map((s) => s.start);
      expect(starts).toEqual([...new Set(passages.flatMap((c) => c.sentences.map((s) => s.start)))].sort((a, b) => a - b));
      for (const passage of passages) for (const span of passage.sentences) expect(sentences).toContainEqual(span);
    }
    // The fixture must have overlap for this to mean anything.
    expect(index.chunkCount).toBeGreaterThan(index.articles.length);
  });

  it("records the model, dimensions, format and HNSW parameters in the manifest", async () => {
    await build(hashingEmbedder());
    const manifest = await readManifest(dir);
    expect(manifest).toMatchObject({
      formatVersion: FORMAT_VERSION,
      model: { id: "test/hashing", dimensions: 32, queryPrefix: "query: ", passagePrefix: "passage: " },
      hnsw: { ...DEFAULT_HNSW, space: "cosine" },
      counts: { articles: SMALL_CORPUS.length },
    });
    expect(Object.keys(manifest!.articles)).toEqual(SMALL_CORPUS.map((a) => a.id));
  });

  it("refuses an index built with another model, saying how to rebuild", async () => {
    await build(hashingEmbedder());
    const error = await loadIndex(dir, { model: { id: "Xenova/multilingual-e5-small", dimensions: 384 } }).catch((e) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toContain("built with model test/hashing (32 dims)");
    expect(error.message).toContain("npm run ingest -- --rebuild");
  });

  it("refuses an index of another format version", async () => {
    await build(null);
    const version = (await currentVersion(dir))!;
    const manifestFile = path.join(version, "manifest.json");
    const manifest = JSON.parse(await fs.readFile(manifestFile, "utf8"));
    await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 999 }));
    await expect(loadIndex(dir, { model: null })).rejects.toThrow(/format 999.*--rebuild/);
  });

  it("refuses a pinned index of format 1 (MiniSearch era) with the rebuild hint", async () => {
    const fixture = new URL("../fixtures/index-v1", import.meta.url).pathname;
    const error = await loadIndex(fixture, { model: null }).catch((e) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toMatch(/index format 1, this version of the bot reads format 5: run `npm run ingest -- --rebuild`/);
  });

  it("refuses a pinned index of format 4 (JSON term dictionaries) with the rebuild hint", async () => {
    const fixture = new URL("../fixtures/index-v4", import.meta.url).pathname;
    const error = await loadIndex(fixture, { model: null }).catch((e) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toMatch(/index format 4, this version of the bot reads format 5: run `npm run ingest -- --rebuild`/);
  });

  it("refuses an incomplete version folder instead of crashing", async () => {
    await build(null);
    const version = (await currentVersion(dir))!;
    await fs.rm(path.join(version, (await readManifest(dir))!.segments[0]!.name, "lexical.bin"));
    await expect(loadIndex(dir, { model: null })).rejects.toThrow(/incomplete \(lexical.bin is missing\).*--rebuild/);
  });

  it("keeps the previous index loadable when a save fails midway", async () => {
    await build(null);
    const before = await currentVersion(dir);
    const changed = [...SMALL_CORPUS, testArticle({ id: "new", title: "Bài mới", body: "Một câu hoàn toàn mới về cá heo." })];
    await expect(
      build(null, changed, {
        save: {
          onStep: (file) => {
            if (file === "vocabulary.bin") throw new Error("disk full");
          },
        },
      }),
    ).rejects.toThrow("disk full");
    expect(await currentVersion(dir)).toBe(before);
    const loaded = await loadIndex(dir, { model: null });
    expect(loaded.articles.map((a) => a.id)).toEqual(SMALL_CORPUS.map((a) => a.id));
    expect((await fs.readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("embeds only new and changed articles on a second run and removes deleted ones", async () => {
    const embedder = hashingEmbedder();
    const first = await build(embedder);
    expect(first.embedded).toBe(first.passages);

    const second = await build(embedder);
    expect(second).toMatchObject({ written: false, embedded: 0, unchanged: SMALL_CORPUS.length });

    const edited = SMALL_CORPUS.map((a) =>
      a.id === "lua-gao" ? testArticle({ ...a, body: `${a.body}\nGiá phân bón cũng giảm nhẹ trong tháng này.` }) : a,
    ).filter((a) => a.id !== "bong-da");
    embedder.calls.length = 0;
    const third = await build(embedder, edited);
    expect(third).toMatchObject({ written: true, added: 0, updated: 1, removed: 1, unchanged: 2 });
    const changedChunks = third.index!.chunkPositionsOf("lua-gao").length;
    expect(third.embedded).toBe(changedChunks);
    expect(embedder.calls.flat().every((text) => text.startsWith(edited[1]!.title))).toBe(true);

    // Reused vectors are the stored ones: a search finds the unchanged article's passage first.
    const vector = await embedder.embedQuery(SMALL_CORPUS[3]!.body.split("\n")[0]!);
    const [top] = third.index!.searchVector(vector, 1);
    expect(third.index!.chunk(top!.id).articleId).toBe("mua-lu");
  });

  it("rebuilds an index of the previous format without embedding again: its vectors are reused", async () => {
    const embedder = hashingEmbedder();
    const first = await build(embedder);
    // The same version as format 4 wrote it: chunks.json ([articleIndex, ordinal, …] per chunk), format 4 in the manifest.
    const version = (await currentVersion(dir))!;
    const manifest = (await readManifest(dir))!;
    for (const { name } of manifest.segments) {
      const table = await ChunkTable.read(path.join(version, name, "chunks.bin"));
      const rows = Array.from({ length: table.size }, (_, i) => [table.articleOf(i), table.ordinalOf(i), 0, 0, []]);
      await fs.writeFile(path.join(version, name, "chunks.json"), JSON.stringify(rows));
    }
    await fs.writeFile(path.join(version, "manifest.json"), JSON.stringify({ ...manifest, formatVersion: 4 }));

    const model = { id: embedder.modelId, dimensions: embedder.dimensions };
    await expect(loadIndex(dir, { model })).rejects.toThrow(/format 4, .*run `npm run ingest` to rebuild it \(the passages' vectors it holds are reused/);
    embedder.calls.length = 0;
    const again = await build(embedder);
    expect(again).toMatchObject({ written: true, embedded: 0, passages: first.passages });
    expect(embedder.calls.flat()).toEqual([]);
    const loaded = await loadIndex(dir, { model });
    const vector = await embedder.embedQuery(SMALL_CORPUS[3]!.body.split("\n")[0]!);
    expect(loaded.chunk(loaded.searchVector(vector, 1)[0]!.id).articleId).toBe("mua-lu");
  });

  it("rebuilds everything with rebuild: true", async () => {
    const embedder = hashingEmbedder();
    const first = await build(embedder);
    const again = await build(embedder, SMALL_CORPUS, { rebuild: true });
    expect(again.embedded).toBe(first.passages);
  });

  it("grows HNSW capacity geometrically", async () => {
    const { nextCapacity, VectorIndex } = await import("../../src/store");
    const index = VectorIndex.create(4, DEFAULT_HNSW, 16);
    const capacities = new Set<number>();
    for (let i = 0; i < 40; i++) {
      index.add(i, new Float32Array([1, i, i % 3, 1]));
      capacities.add(index.capacity);
    }
    expect([...capacities]).toEqual([16, 32, 64]);
    expect(index.size).toBe(40);
    expect(nextCapacity(10)).toBe(1024);
    expect(nextCapacity(5000)).toBe(8192);
    expect(nextCapacity(100_000)).toBe(131072);
  });
});
