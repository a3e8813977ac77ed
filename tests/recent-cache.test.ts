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

  it("clear drops every entry and its weight", () => {
    const cache = new RecentCache<string, string>(10, (text) => text.length);
    cache.set("a", "aaaa");
    cache.clear();
    expect([cache.has("a"), cache.size, cache.weight]).toEqual([false, 0, 0]);
    cache.set("b", "b".repeat(10));
    expect(cache.has("b")).toBe(true);
  });

  it("makes a missing value once and keeps it", () => {
    const cache = new RecentCache<string, number>(1);
    let made = 0;
    expect(cache.remember("x", () => ++made)).toBe(1);
    expect(cache.remember("x", () => ++made)).toBe(1);
    expect(cache.remember("y", () => ++made)).toBe(2);
    expect(cache.has("x")).toBe(false);
  });

  it("bounds the total weight, and does not keep a value heavier than the whole capacity", () => {
    const cache = new RecentCache<string, string>(10, (text) => text.length);
    cache.set("a", "aaaa");
    cache.set("b", "bbbb");
    cache.set("c", "ccc"); // 11 > 10: "a" goes
    expect([cache.has("a"), cache.has("b"), cache.has("c"), cache.weight]).toEqual([false, true, true, 7]);
    cache.set("d", "d".repeat(11));
    expect([cache.has("d"), cache.has("b"), cache.weight]).toEqual([false, true, 7]);
    cache.set("b", "bb"); // replaced, not counted twice
    expect(cache.weight).toBe(5);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new RecentCache(0)).toThrow(/positive integer/);
  });
});
