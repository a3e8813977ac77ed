import { describe, expect, it } from "vitest";
import { GrowableArray } from "../../src/store/growable-array";

describe("GrowableArray", () => {
  it("holds what was pushed across its blocks, in order", () => {
    const array = new GrowableArray(Uint32Array);
    const n = 3 * 65_536 + 123;
    for (let i = 0; i < n; i++) array.push(i * 3);
    expect(array.length).toBe(n);
    for (const i of [0, 1, 65_535, 65_536, 65_537, 2 * 65_536, n - 1]) expect(array.at(i)).toBe(i * 3);
    array.set(65_536, 7);
    expect(array.at(65_536)).toBe(7);
    array.set(65_536, 65_536 * 3);
    const seen: number[] = [];
    array.forEachBlock((block, first) => {
      expect(first).toBe(seen.length);
      expect(array.blockAt(first)[0]).toBe(block[0]);
      seen.push(...block);
    });
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i * 3));
  });

  it("keeps its element type, and is empty once cleared", () => {
    const tfs = new GrowableArray(Float32Array);
    tfs.push(0.1);
    expect(tfs.at(0)).toBe(Math.fround(0.1));
    tfs.clear();
    expect(tfs.length).toBe(0);
    let blocks = 0;
    tfs.forEachBlock(() => blocks++);
    expect(blocks).toBe(0);
    tfs.push(2);
    expect(tfs.at(0)).toBe(2);
  });
});
