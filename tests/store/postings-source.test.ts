import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LexicalIndex, PASSAGE_BM25, ARTICLE_BM25, type LexicalDocument, type TermQuery } from "../../src/store/lexical";
import { PostingsCache } from "../../src/store/postings-cache";
import { POSTINGS_BLOCK } from "../../src/store/postings-source";
import { SegmentedLexical } from "../../src/store/segmented-lexical";
import { fold } from "../../src/text/vietnamese";
import { seeded } from "../helpers/seeded";

// A few syllables in most passages (lists of many blocks), then rarer ones.
const WORDS = ["là", "la", "có", "cô", "của", "cua", "người", "năm", "mưa", "hữu", "lũng", "bão", "lũ", "đê", "sông", "cầu", "đường", "trường", "học", "sinh"];

function corpus(size: number, rng: () => number): LexicalDocument[] {
  return Array.from({ length: size }, (_, id) => {
    const words = Array.from({ length: 4 + Math.floor(rng() * 30) }, () => WORDS[Math.floor(WORDS.length * rng() ** 2)]!);
    return { id, title: rng() < 0.2 ? words.slice(0, 3).join(" ") : "", text: words.join(" "), ordinal: id % 4 };
  });
}

describe("postings read from an index file", () => {
  let dir: string;
  let built: LexicalIndex[];
  let files: string[];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "postings-source-"));
    const rng = seeded(5);
    built = [await LexicalIndex.build(corpus(9000, rng)), await LexicalIndex.build(corpus(4000, rng))];
    files = await Promise.all(
      built.map(async (index, i) => {
        const file = path.join(dir, `lexical-${i}.bin`);
        await fs.writeFile(file, index.bytes);
        return file;
      }),
    );
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("answers lookups as the whole list does, reading only the blocks they land in", async () => {
    const cache = new PostingsCache(64 * 2 ** 20);
    const loaded = await LexicalIndex.read(files[0]!, { cache });
    const rng = seeded(11);
    let probed = 0;
    for (const term of ["là", "của", "người", "mưa", "sinh"]) {
      const id = [...built[0]!.termIdsOf(term, false)][0]!;
      const whole = built[0]!.postingList(id, 100);
      expect(whole.length).toBeGreaterThan(4 * POSTINGS_BLOCK);
      // Ascending targets, as a search looks its candidates up: some present, some absent, past the end.
      for (let round = 0; round < 20; round++) {
        const lazy = loaded.postingList(id, 100);
        expect(lazy.length).toBe(whole.length);
        const stride = 1 + Math.floor(rng() * 3000);
        let p = 0;
        let q = 0;
        for (let doc = Math.floor(rng() * stride); doc <= 9100; doc += 1 + Math.floor(rng() * stride)) {
          p = lazy.seek(p, doc);
          q = whole.seek(q, doc);
          expect(p).toBe(q);
          if (p < lazy.length) {
            expect(lazy.docAt(p)).toBe(whole.docAt(p));
            expect(lazy.tfAt(p)).toBe(whole.tfAt(p));
          }
          probed++;
        }
        // A lookup from any position, not only the last one found.
        const from = Math.floor(rng() * whole.length);
        const doc = Math.floor(rng() * 9000);
        expect(loaded.postingList(id, 100).seek(from, doc)).toBe(whole.seek(from, doc));
      }
      // And read whole, the same postings.
      const { docs, tfs, start, end } = loaded.postingList(id, 100).all();
      const reference = whole.all();
      expect([...docs.subarray(start, end)]).toEqual([...reference.docs.subarray(reference.start, reference.end)]);
      expect([...tfs.subarray(start, end)]).toEqual([...reference.tfs.subarray(reference.start, reference.end)]);
    }
    expect(probed).toBeGreaterThan(500);

    // A few lookups in a long list read a few blocks, not the list.
    const fresh = new PostingsCache(64 * 2 ** 20);
    const again = await LexicalIndex.read(files[0]!, { cache: fresh });
    const list = again.postingList([...again.termIdsOf("là", false)][0]!, 0);
    for (const doc of [10, 4000, 8990]) list.seek(0, doc);
    expect(fresh.weight).toBeGreaterThan(0);
    expect(fresh.weight).toBeLessThan((list.length * 8) / 2);
    // Asked to expect many lookups, a list reads itself whole (then lookups read nothing more).
    const many = again.postingList([...again.termIdsOf("của", false)][0]!, 0);
    many.expect(many.length);
    const weight = fresh.weight;
    for (const doc of [5, 500, 5000]) many.seek(0, doc);
    expect(fresh.weight).toBe(weight);
  });

  it("searched over segments read from disk, through a small cache, gives what the built segments give", async () => {
    const cache = new PostingsCache(200 * 1024); // a few lists or a hundred blocks: most reads evict
    const loaded = await Promise.all(files.map((file) => LexicalIndex.read(file, { cache })));
    const dead = new Uint8Array(4000).map((_, i) => (i % 7 === 3 ? 1 : 0));
    const segments = async (indexes: LexicalIndex[]) =>
      new SegmentedLexical([
        { index: indexes[0]!, dead: null, deadDf: null },
        { index: indexes[1]!, dead, deadDf: await indexes[1]!.deadFrequencies(dead) },
      ]);
    const [fromDisk, inMemory] = [await segments(loaded), await segments(built)];
    const rng = seeded(3);
    let compared = 0;
    for (let q = 0; q < 40; q++) {
      const words = Array.from({ length: 2 + Math.floor(rng() * 6) }, () => WORDS[Math.floor(rng() * WORDS.length)]!);
      const queries: TermQuery[] = [
        { terms: words, folded: false, boost: 1 },
        { terms: [...new Set(words.map(fold))], folded: true, boost: 0.3 },
      ];
      for (const params of [PASSAGE_BM25, ARTICLE_BM25]) {
        for (const limit of [1, 20, 200]) {
          const hits = fromDisk.search(queries, (id) => id % 5 !== 1, limit, params);
          expect(JSON.stringify(hits)).toBe(JSON.stringify(inMemory.search(queries, (id) => id % 5 !== 1, limit, params)));
          compared += hits.length;
        }
        const ids = Array.from({ length: 30 }, () => Math.floor(rng() * 13000));
        expect(JSON.stringify(fromDisk.searchAmong(queries, ids, 10, params))).toBe(JSON.stringify(inMemory.searchAmong(queries, ids, 10, params)));
      }
      // The bound holds after every question, whole lists and blocks alike.
      expect(cache.weight).toBeLessThanOrEqual(cache.capacity);
    }
    expect(compared).toBeGreaterThan(5_000);
    expect(cache.size).toBeGreaterThan(0);
  });
});
