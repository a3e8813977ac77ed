import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planBatches } from "../../src/embed";

describe("planBatches", () => {
  it("puts a long outlier in a batch of its own instead of padding the short texts to it", () => {
    const lengths = [12, 5000, 9, 15, 11];
    const batches = planBatches(lengths, { maxItems: 16, maxCharacters: 4000 });
    expect(batches).toEqual([[2, 4, 0, 3], [1]]);
  });

  it("orders by length and respects the batch size", () => {
    const batches = planBatches([30, 10, 20, 40, 50], { maxItems: 2, maxCharacters: 1e9 });
    expect(batches).toEqual([[1, 2], [0, 3], [4]]);
  });

  it("returns nothing for no input", () => {
    expect(planBatches([], { maxItems: 4, maxCharacters: 100 })).toEqual([]);
  });

  it("uses every index once and keeps every multi-item batch within both limits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 5000 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20_000 }),
        (lengths, maxItems, maxCharacters) => {
          const batches = planBatches(lengths, { maxItems, maxCharacters });
          const seen = batches.flat().sort((a, b) => a - b);
          expect(seen).toEqual(lengths.map((_, i) => i));
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(maxItems);
            if (batch.length > 1) {
              const longest = Math.max(1, ...batch.map((i) => lengths[i] ?? 0));
              expect(batch.length * longest).toBeLessThanOrEqual(maxCharacters);
            }
          }
        },
      ),
    );
  });
});
