import { describe, expect, it } from "vitest";
import { PostingsCache, type CachedPostings } from "../../src/store/postings-cache";
import { seeded } from "../helpers/seeded";

describe("PostingsCache", () => {
  /** Postings whose every id and tf say which entry they belong to. */
  const fill = (tag: number) => (docs: Uint8Array, tfs: Uint8Array) => {
    new Uint32Array(docs.buffer, docs.byteOffset, docs.length / 4).fill(tag);
    new Float32Array(tfs.buffer, tfs.byteOffset, tfs.length / 4).fill(tag + 0.5);
  };
  const intact = (entry: CachedPostings, tag: number) => entry.range.docs.every((d) => d === tag) && entry.range.tfs.every((t) => t === tag + 0.5);

  it("keeps its entries' postings intact while they are live, within its bound, and drops the least used first", () => {
    const cache = new PostingsCache(1024); // 128 postings
    const rng = seeded(9);
    const held = new Map<number, { entry: CachedPostings; size: number }>();
    let dropped = 0;
    for (let step = 0; step < 5000; step++) {
      const tag = Math.floor(rng() * 60);
      const key = `k${tag}`;
      const size = 1 + (tag % 23);
      let entry = cache.get(key);
      if (entry === undefined) entry = cache.read(key, size, fill(tag));
      expect(entry.live).toBe(true);
      expect(entry.range.end).toBe(size);
      expect(intact(entry, tag)).toBe(true);
      held.set(tag, { entry, size });
      // Every entry still live holds its own postings; the cache counts exactly those.
      let live = 0;
      for (const [t, { entry: e, size: n }] of held) {
        if (!e.live) continue;
        expect(intact(e, t)).toBe(true);
        live += n * 8;
      }
      for (const { entry: e } of held.values()) if (!e.live) dropped++;
      expect(cache.weight).toBe(live);
      expect(cache.weight).toBeLessThanOrEqual(cache.capacity);
    }
    expect(dropped).toBeGreaterThan(0);
    // Used again and again, an entry stays while others come and go.
    const hot = cache.read("hot", 4, fill(99));
    let kept = hot;
    for (let i = 0; i < 500; i++) {
      cache.read(`cold${i}`, 3, fill(i));
      kept = cache.get("hot")!;
      expect(kept).toBeDefined();
    }
    expect(intact(kept, 99)).toBe(true);
    expect(hot.live).toBe(false); // moved, not overwritten in place: the old views are no longer used
  });

  it("reads more than its capacity into a buffer of their own, not kept", () => {
    const cache = new PostingsCache(64);
    const big = cache.read("big", 100, fill(7));
    expect(intact(big, 7)).toBe(true);
    expect(big.live).toBe(true);
    expect([cache.size, cache.weight, cache.get("big")]).toEqual([0, 0, undefined]);
    expect(() => new PostingsCache(4)).toThrow(/at least 8 bytes/);
  });
});
