import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article, Embedder } from "../../src/domain/types";
import { buildIndex, currentVersion, DEFAULT_HNSW, loadIndex, readManifest, type CorpusIndex, type TermQuery } from "../../src/store";
import { titledText } from "../../src/chunk";
import { cosine } from "../../src/embed";
import { fold } from "../../src/text/vietnamese";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { hashingEmbedder } from "../helpers/hashing-embedder";
import { seeded } from "../helpers/seeded";

const chunking = { maxChars: 300, overlapSentences: 1 };
/** Never merge: every change is a new segment and tombstones. */
const NEVER = { share: Infinity, maxSegments: Infinity };
let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "segments-test-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const SENTENCES = [
  "Giá lúa tại An Giang tăng mạnh trong tháng này.",
  "Nông dân Hữu Lũng phấn khởi vì được mùa được giá.",
  "Đội tuyển bóng đá nữ giành huy chương vàng.",
  "Mưa lũ gây sạt lở đất ở nhiều huyện miền núi.",
  "Thương lái đến tận ruộng để thu mua lúa gạo.",
  "Huấn luyện viên cho biết các cầu thủ thi đấu quyết tâm.",
  "Xuất khẩu gạo năm nay có thể đạt tám triệu tấn.",
  "Chính quyền huyện đã sơ tán hàng trăm hộ dân.",
  "Giá phân bón giảm nhẹ so với cùng kỳ năm trước.",
  "Lạng Sơn có mưa to kéo dài suốt ba ngày.",
  "Cá heo xuất hiện gần bờ biển Nha Trang.",
  "Đảng bộ huyện được công nhận trong sạch vững mạnh.",
];

/** An article of a few pool sentences (seeded), some repeated: varied lengths and frequencies. */
function generated(id: string, seed: number): Article {
  const rng = seeded(seed);
  const pick = () => SENTENCES[Math.floor(rng() * SENTENCES.length)]!;
  const paragraphs = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => Array.from({ length: 1 + Math.floor(rng() * 3) }, pick).join(" "));
  return testArticle({ id, title: pick().replace(/\.$/, ""), body: paragraphs.join("\n") });
}

const build = (dir: string, articles: Article[], extra: Partial<Parameters<typeof buildIndex>[0]> = {}) =>
  buildIndex({ dir, articles, embedder: null, chunking, hnsw: DEFAULT_HNSW, merge: NEVER, ...extra });

/** Queries over the pool's words: exact syllables and pairs, and their folded twins. */
const QUERIES: TermQuery[][] = [
  "giá lúa", "huy chương vàng", "sạt lở Lạng Sơn", "Hữu Lũng", "gạo", "cá heo", "huyện", "năm nay đạt", "mưa to",
].map((q) => {
  const terms = q.toLowerCase().split(" ");
  return [
    { terms, folded: false, boost: 1 },
    { terms: terms.map(fold), folded: true, boost: 0.3 },
  ];
});

/** What two indexes must agree on for a search: hit → score, by chunk (or article) id. */
function scoresOf(hits: Array<{ id: number; score: number }>, name: (id: number) => string): Map<string, number> {
  return new Map(hits.map((h) => [name(h.id), h.score]));
}

function expectSameScores(actual: Map<string, number>, expected: Map<string, number>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, score] of expected) expect(actual.get(id)).toBeCloseTo(score, 4);
}

/** Every search of `index` against `reference` (a fresh build of the same corpus). */
function expectSameSearches(index: CorpusIndex, reference: CorpusIndex): void {
  expect(new Set(index.articles.map((a) => a.id))).toEqual(new Set(reference.articles.map((a) => a.id)));
  expect(index.chunkCount).toBe(reference.chunkCount);
  expect(index.vocabulary.documents).toBe(reference.vocabulary.documents);
  for (const article of reference.articles) {
    expect(index.article(article.id)).toEqual(article);
    // The texts, read from each segment's file on demand, and the passages, made from its chunk table.
    expect([index.article(article.id)!.body, index.article(article.id)!.captions]).toEqual([article.body, article.captions]);
    const passages = (of: CorpusIndex) => of.chunkPositionsOf(article.id).map((p) => [of.chunk(p), of.articleIdOf(p)]);
    expect(passages(index)).toEqual(passages(reference));
    for (const syllable of article.title.toLowerCase().split(" ")) {
      expect(index.vocabulary.documentFrequency(syllable)).toBe(reference.vocabulary.documentFrequency(syllable));
    }
  }
  const chunkName = (of: CorpusIndex) => (id: number) => of.chunk(id).id;
  const articleName = (of: CorpusIndex) => (id: number) => of.articles[id]!.id;
  for (const queries of QUERIES) {
    // Every hit (no cut-off): the same passages with the same scores.
    expectSameScores(scoresOf(index.searchLexical(queries, undefined, 10_000), chunkName(index)), scoresOf(reference.searchLexical(queries, undefined, 10_000), chunkName(reference)));
    expectSameScores(scoresOf(index.searchArticles(queries, undefined, 10_000), articleName(index)), scoresOf(reference.searchArticles(queries, undefined, 10_000), articleName(reference)));
    // The pruned top 3: the same scores in the same order (ids may differ only between equal scores).
    for (const [mine, theirs] of [
      [index.searchLexical(queries, undefined, 3), reference.searchLexical(queries, undefined, 3)],
      [index.searchArticles(queries, undefined, 3), reference.searchArticles(queries, undefined, 3)],
    ] as const) {
      expect(mine.map((h) => h.score)).toHaveLength(theirs.length);
      mine.forEach((h, i) => expect(h.score).toBeCloseTo(theirs[i]!.score, 4));
    }
  }
}

type Step = { kind: "add" | "change" | "delete"; pick: number; seed: number };

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom("add", "add", "change", "delete"),
  pick: fc.nat(1000),
  seed: fc.nat(1_000_000),
});

/** Applies a step to a corpus (an article id → article map, kept in insertion order). */
function apply(corpus: Map<string, Article>, step: Step, n: number): void {
  const ids = [...corpus.keys()];
  if (step.kind === "add" || ids.length <= 2) {
    corpus.set(`gen-${n}`, generated(`gen-${n}`, step.seed));
    return;
  }
  const id = ids[step.pick % ids.length]!;
  if (step.kind === "delete") corpus.delete(id);
  else corpus.set(id, generated(id, step.seed));
}

describe("incremental segments", () => {
  it("after any sequence of adds, changes and deletes, every search equals a full rebuild's", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(stepArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        const dir = path.join(root, `inc-${run}`);
        const fresh = path.join(root, `full-${run++}`);
        const corpus = new Map(SMALL_CORPUS.map((a) => [a.id, a]));
        let index = (await build(dir, [...corpus.values()])).index!;
        let n = 0;
        for (const batch of batches) {
          for (const step of batch) apply(corpus, step, n++);
          const result = await build(dir, [...corpus.values()], { previous: index, allowRemovals: true });
          if (result.index) index = result.index;
        }
        const manifest = (await readManifest(dir))!;
        // The incremental path was taken: one segment per batch that changed something.
        expect(manifest.segments.length).toBeGreaterThan(1);
        const reference = (await build(fresh, [...corpus.values()])).index!;
        expectSameSearches(index, reference);
        // And the same version read from disk alone (no segments lent by a previous index).
        expectSameSearches(await loadIndex(dir, { model: null }), reference);
      }),
      { numRuns: 12, seed: 14 },
    );
  });

  it("keeps every previous segment file as a hard link, and writes only the new articles", async () => {
    const dir = path.join(root, "links");
    await build(dir, SMALL_CORPUS);
    const first = (await currentVersion(dir))!;
    const base = (await readManifest(dir))!.segments[0]!.name;
    const before = await fs.stat(path.join(first, base, "lexical.bin"));
    await build(dir, [...SMALL_CORPUS, generated("x", 1)]);
    const second = (await currentVersion(dir))!;
    const manifest = (await readManifest(dir))!;
    expect(manifest.segments.map((s) => s.name)[0]).toBe(base);
    expect(manifest.segments).toHaveLength(2);
    const after = await fs.stat(path.join(second, base, "lexical.bin"));
    expect(after.ino).toBe(before.ino);
    expect(after.nlink).toBe(2);
    const added = manifest.segments[1]!;
    expect(added).toMatchObject({ articles: 1, deadArticles: 0 });
    const ids = JSON.parse(await fs.readFile(path.join(second, added.name, "ids.json"), "utf8"));
    expect(ids).toEqual(["x"]);
  });

  it("a deleted or replaced article never appears, in any search, lexical or dense", async () => {
    const dir = path.join(root, "dense");
    const embedder: Embedder = hashingEmbedder();
    const model = { id: embedder.modelId, dimensions: embedder.dimensions };
    await build(dir, SMALL_CORPUS, { embedder });
    const changed = testArticle({ ...SMALL_CORPUS[1]!, body: "Giá lúa hôm nay giảm mạnh vì mưa lũ kéo dài." });
    const corpus = [SMALL_CORPUS[0]!, changed, SMALL_CORPUS[3]!, generated("gen-a", 3)];
    const result = await build(dir, corpus, { embedder, allowRemovals: true });
    expect(result).toMatchObject({ written: true, added: 1, updated: 1, removed: 1 });
    // Only the new segment's passages went through the model.
    const manifest = (await readManifest(dir))!;
    expect(result.embedded).toBe(manifest.segments[1]!.chunks);
    expect(manifest.segments[0]).toMatchObject({ deadArticles: 2 });
    for (const index of [result.index!, await loadIndex(dir, { model })]) {
      expect(index.article("bong-da")).toBeUndefined();
      const deletedText = SMALL_CORPUS[2]!.body.split("\n")[0]!;
      const oldText = SMALL_CORPUS[1]!.body.split("\n")[0]!;
      for (const text of [deletedText, oldText, "huy chương vàng SEA Games", "Giá lúa tại An Giang"]) {
        const vector = await embedder.embedQuery(text);
        const dense = index.searchVector(vector, 50).map((h) => index.chunk(h.id));
        expect(dense.length).toBe(index.chunkCount);
        expect(dense.map((c) => c.articleId)).not.toContain("bong-da");
        // The replaced article's passages are its new ones only.
        for (const chunk of dense.filter((c) => c.articleId === "lua-gao")) expect(changed.body.slice(chunk.start, chunk.end)).toBeTruthy();
        const queries = [{ terms: text.toLowerCase().split(" "), folded: false, boost: 1 }];
        expect(index.searchLexical(queries, undefined, 1000).map((h) => index.chunk(h.id).articleId)).not.toContain("bong-da");
        expect(index.searchArticles(queries, undefined, 1000).map((h) => index.articles[h.id]!.id)).not.toContain("bong-da");
      }
      // The old text of the changed article is not found in it any more.
      const old = [{ terms: ["phấn", "khởi", "thương", "lái"], folded: false, boost: 1 }];
      expect(index.searchLexical(old, undefined, 1000).map((h) => index.chunk(h.id).articleId)).not.toContain("lua-gao");
    }
  });

  it("merges into one segment past the threshold, reusing the stored vectors", async () => {
    const dir = path.join(root, "merge");
    const embedder = hashingEmbedder();
    const many = Array.from({ length: 20 }, (_, i) => generated(`base-${i}`, i));
    await build(dir, many, { embedder, merge: { share: 0.3 } });
    const plus = [...many, generated("extra-1", 101)];
    await build(dir, plus, { embedder, merge: { share: 0.3 } });
    expect((await readManifest(dir))!.segments).toHaveLength(2);
    const more = [...plus.slice(3), ...Array.from({ length: 6 }, (_, i) => generated(`extra-${i + 2}`, 200 + i))];
    embedder.calls.length = 0;
    const merged = await build(dir, more, { embedder, merge: { share: 0.3 }, allowRemovals: true });
    const manifest = (await readManifest(dir))!;
    expect(manifest.segments).toHaveLength(1);
    expect(manifest.segments[0]).toMatchObject({ articles: more.length, deadArticles: 0 });
    // Only the six new articles were embedded: every other vector came from the segments.
    const newPassages = more.slice(-6).reduce((n, a) => n + merged.index!.chunkPositionsOf(a.id).length, 0);
    expect(merged.embedded).toBe(newPassages);
    const reference = (await build(path.join(root, "merge-full"), more, { embedder })).index!;
    expectSameSearches(merged.index!, reference);
    expectSameSearches(await loadIndex(dir, { model: { id: embedder.modelId, dimensions: embedder.dimensions } }), reference);
  });

  it("merges when the version would hold more segments than allowed", async () => {
    const dir = path.join(root, "count");
    await build(dir, SMALL_CORPUS, { merge: { share: Infinity, maxSegments: 3 } });
    const corpus = [...SMALL_CORPUS];
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      corpus.push(generated(`n-${i}`, i));
      await build(dir, corpus, { merge: { share: Infinity, maxSegments: 3 } });
      counts.push((await readManifest(dir))!.segments.length);
    }
    expect(counts).toEqual([2, 3, 1, 2]);
  });
});

describe("a full build written as several segments", () => {
  it("merges them into the files a one-segment build writes, byte for byte", async () => {
    const articles = [...SMALL_CORPUS, ...Array.from({ length: 7 }, (_, i) => generated(`m-${i}`, i))];
    const steps: string[] = [];
    await build(path.join(root, "msplit"), articles, { segmentArticles: 3, embedder: hashingEmbedder(), save: { onStep: (file) => void steps.push(file) } });
    await build(path.join(root, "mwhole"), articles, { embedder: hashingEmbedder() });
    // Written as four segments, then merged file by file.
    expect(steps.filter((step) => step === "lexical.bin")).toHaveLength(Math.ceil(articles.length / 3));
    expect(steps.filter((step) => step.startsWith("merge "))).toEqual(
      ["ids.json", "articles.jsonl", "catalog.json", "chunks.bin", "lexical.bin", "articles-lexical.bin", "vocabulary.bin", "vectors.f32"].map((f) => `merge ${f}`),
    );
    const folderOf = async (dir: string) => {
      const manifest = (await readManifest(dir))!;
      expect(manifest.segments).toHaveLength(1);
      expect(manifest.baseSegments).toBe(1);
      return path.join((await currentVersion(dir))!, manifest.segments[0]!.name);
    };
    const [split, whole] = [await folderOf(path.join(root, "msplit")), await folderOf(path.join(root, "mwhole"))];
    const files = (await fs.readdir(whole)).sort();
    expect(await fs.readdir(split).then((names) => names.sort())).toEqual(files);
    expect(files).toContain("vectors.f32");
    for (const file of files) expect((await fs.readFile(path.join(split, file))).equals(await fs.readFile(path.join(whole, file))), file).toBe(true);
    expect((await readManifest(path.join(root, "msplit")))!.segments[0]).toMatchObject({ articles: articles.length, deadArticles: 0, deadChunks: 0 });
  });

  it("ranks, scores and restores accents as one segment of the same articles, before and after changes", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(stepArb, { minLength: 0, maxLength: 4 }), async (perSegment, steps) => {
        const corpus = new Map(SMALL_CORPUS.map((a) => [a.id, a]));
        for (let i = 0; i < 6; i++) corpus.set(`more-${i}`, generated(`more-${i}`, run * 100 + i));
        const dir = path.join(root, `split-${run}`);
        const whole = path.join(root, `whole-${run++}`);
        const split = await build(dir, [...corpus.values()], { segmentArticles: perSegment });
        const manifest = (await readManifest(dir))!;
        expect(manifest.segments).toHaveLength(1);
        expect(manifest.baseSegments).toBe(1);
        const reference = (await build(whole, [...corpus.values()])).index!;
        expect((await readManifest(whole))!.segments).toHaveLength(1);
        for (const index of [split.index!, await loadIndex(dir, { model: null })]) {
          expectSameSearches(index, reference);
          expectSameVocabulary(index, reference);
        }
        // Adds, changes and deletes on top of the split base: tombstones in any of its segments.
        let n = 0;
        for (const step of steps) apply(corpus, step, n++);
        const changed = await build(dir, [...corpus.values()], { segmentArticles: perSegment, allowRemovals: true });
        const rebuilt = (await build(whole, [...corpus.values()], { rebuild: true, allowRemovals: true })).index!;
        expectSameSearches(changed.index ?? (await loadIndex(dir, { model: null })), rebuilt);
      }),
      { numRuns: 10, seed: 5 },
    );
  });

  it("keeps every passage's vector, in a graph built segment by segment", async () => {
    const embedder = hashingEmbedder();
    const model = { id: embedder.modelId, dimensions: embedder.dimensions };
    const articles = [...SMALL_CORPUS, ...Array.from({ length: 5 }, (_, i) => generated(`v-${i}`, i))];
    await build(path.join(root, "vsplit"), articles, { embedder, segmentArticles: 2 });
    await build(path.join(root, "vwhole"), articles, { embedder });
    const [split, whole] = await Promise.all(["vsplit", "vwhole"].map((d) => loadIndex(path.join(root, d), { model })));
    for (const article of articles) {
      const vector = await embedder.embedQuery(article.title);
      const near = (index: CorpusIndex) => index.searchVector(vector, 1000).map((h) => [index.chunk(h.id).id, h.distance.toFixed(5)].join(" "));
      expect(near(split!)).toHaveLength(split!.chunkCount);
      expect(new Set(near(split!))).toEqual(new Set(near(whole!)));
    }
  });
});

/** The accent restoration and pair counts of `index` against `reference` (a single-segment build of the same articles). */
function expectSameVocabulary(index: CorpusIndex, reference: CorpusIndex): void {
  for (const sentence of SENTENCES) {
    const syllables = sentence.replace(/\.$/, "").toLowerCase().split(" ");
    const plain = syllables.map(fold);
    expect(index.vocabulary.restore(plain)).toEqual(reference.vocabulary.restore(plain));
    for (let i = 1; i < syllables.length; i++) {
      expect(index.vocabulary.pairFrequency(syllables[i - 1]!, syllables[i]!)).toBe(reference.vocabulary.pairFrequency(syllables[i - 1]!, syllables[i]!));
    }
  }
}

describe("a crash while writing a segment or merging", () => {
  /** Every step a save announces, in order. */
  async function stepsOf(dir: string, articles: Article[], extra: Partial<Parameters<typeof buildIndex>[0]> = {}): Promise<string[]> {
    const steps: string[] = [];
    await build(dir, articles, { ...extra, save: { onStep: (file) => void steps.push(file) } });
    return steps;
  }

  for (const kind of ["segment", "merge", "merge into several segments"] as const) {
    it(`at any step of a ${kind}, the previous version serves and loads`, async () => {
      const extra = {
        segment: { embedder: hashingEmbedder() },
        merge: { merge: { share: 0, maxSegments: 1 }, embedder: hashingEmbedder() },
        "merge into several segments": { merge: { share: 0, maxSegments: 1 }, segmentArticles: 2, embedder: hashingEmbedder() },
      }[kind];
      const first = [...SMALL_CORPUS, generated("a", 1)];
      const second = [...SMALL_CORPUS.slice(1), generated("a", 2), generated("b", 3)];
      const probe = path.join(root, `probe-${kind.replace(/ /g, "-")}`);
      await build(probe, first, { embedder: hashingEmbedder() });
      await build(probe, [...SMALL_CORPUS, generated("c", 9)], { embedder: hashingEmbedder(), allowRemovals: true });
      const steps = await stepsOf(probe, second, { ...extra, allowRemovals: true });
      expect(steps).toContain("manifest.json");
      expect(steps).toContain("tombstones.json");
      if (kind === "segment") expect(steps.some((s) => s.startsWith("link "))).toBe(true);
      else expect(steps.some((s) => s.startsWith("link "))).toBe(false);
      // Several segments: every file of each, one segment after the other, then merged into one.
      const segments = steps.filter((s) => s === "ids.json").length;
      expect(segments).toBe(kind === "merge into several segments" ? Math.ceil(second.length / 2) : 1);
      expect(steps.includes("merge lexical.bin")).toBe(kind === "merge into several segments");

      // By position: a linked segment's step names it, and names differ from folder to folder.
      for (const [k, step] of steps.entries()) {
        const dir = path.join(root, `${kind.replace(/ /g, "-")}-${k}`);
        await build(dir, first, { embedder: hashingEmbedder() });
        await build(dir, [...SMALL_CORPUS, generated("c", 9)], { embedder: hashingEmbedder(), allowRemovals: true });
        const served = await currentVersion(dir);
        const servedIds = Object.keys((await readManifest(dir))!.articles).sort();
        const crash = new Error(`crash before ${step}`);
        let calls = 0;
        await expect(
          build(dir, second, {
            ...extra,
            allowRemovals: true,
            save: {
              onStep: () => {
                if (calls++ === k) throw crash;
              },
            },
          }),
        ).rejects.toBe(crash);
        expect(await currentVersion(dir)).toBe(served);
        const index = await loadIndex(dir, { model: { id: "test/hashing", dimensions: 32 } });
        expect(index.articles.map((a) => a.id).sort()).toEqual(servedIds);
        expect((await fs.readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
        // The next build is not blocked, and lands on the new corpus.
        await build(dir, second, { ...extra, allowRemovals: true });
        expect((await loadIndex(dir, { model: null })).articles.map((a) => a.id).sort()).toEqual(second.map((a) => a.id).sort());
      }
    });
  }
});

describe("CorpusIndex.cosineTo", () => {
  it("gives every live passage's similarity from the vectors written, in every segment, after deletions", async () => {
    const embedder = hashingEmbedder();
    const dir = path.join(root, "vectors");
    const first = await build(dir, SMALL_CORPUS, { embedder });
    const added = testArticle({ id: "ca-heo", title: "Cá heo ở Nha Trang", body: "Đàn cá heo xuất hiện gần bờ biển Nha Trang sáng nay.\nNgư dân kể lại." });
    // One article added and one deleted: a second segment, and a tombstone in the first.
    const { index } = await build(dir, [...SMALL_CORPUS.slice(1), added], { embedder, previous: first.index, allowRemovals: true });
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
