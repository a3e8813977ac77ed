import { describe, expect, it } from "vitest";
import { RecentCache } from "../src/recent-cache";

describe("RecentCache", () => {
  it("keeps the most recently used entries, a read counting as a use", () => {
    const cache = new RecentCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // "b" is now the least recent
    cache.set("c", 3);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });

  it("makes a missing value once and keeps it", () => {
    const cache = new RecentCache<string, number>(1);
    let made = 0;
    expect(cache.remember("x", () => ++made)).toBe(1);
    expect(cache.remember("x", () => ++made)).toBe(1);
    expect(cache.remember("y", () => ++made)).toBe(2);
    expect(cache.has("x")).toBe(false);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new RecentCache(0)).toThrow(/positive integer/);
  });
});
