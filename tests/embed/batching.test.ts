import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paddedTokens, planBatches } from "../../src/embed";

describe("planBatches", () => {
  it("puts a long outlier in a batch of its own instead of padding the short texts to it", () => {
    const lengths = [12, 500, 9, 15, 11];
    const batches = planBatches(lengths, { maxItems: 16, maxTokens: 400 });
    expect(batches).toEqual([[2, 4, 0, 3], [1]]);
  });

  it("orders by length and respects the batch size", () => {
    const batches = planBatches([30, 10, 20, 40, 50], { maxItems: 2, maxTokens: 1e9 });
    expect(batches).toEqual([[1, 2], [0, 3], [4]]);
  });

  it("closes a batch when its padded tokens would pass the budget", () => {
    // 20, 100, 100 pad to 3 × 100 = 300, which fits; a fourth row would make 400.
    expect(planBatches([100, 100, 100, 100, 20], { maxItems: 16, maxTokens: 300 })).toEqual([[4, 0, 1], [2, 3]]);
  });

  it("returns nothing for no input", () => {
    expect(planBatches([], { maxItems: 4, maxTokens: 100 })).toEqual([]);
  });

  it("uses every index once and keeps every multi-item batch within both limits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 600 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 8_000 }),
        (lengths, maxItems, maxTokens) => {
          const batches = planBatches(lengths, { maxItems, maxTokens });
          const seen = batches.flat().sort((a, b) => a - b);
          expect(seen).toEqual(lengths.map((_, i) => i));
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(maxItems);
            if (batch.length > 1) {
              const longest = Math.max(1, ...batch.map((i) => lengths[i] ?? 0));
              expect(batch.length * longest).toBeLessThanOrEqual(maxTokens);
            }
          }
        },
      ),
    );
  });
});

describe("paddedTokens", () => {
  it("counts every row at its batch's longest", () => {
    expect(paddedTokens([3, 5, 2, 7], [[0, 1], [2], [3]])).toBe(2 * 5 + 2 + 7);
    expect(paddedTokens([], [])).toBe(0);
  });
});
