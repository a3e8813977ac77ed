import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QaService } from "../../src/app";
import { computeMetrics } from "../../src/eval/metrics";
import { evaluate, shuffled, type QaItem } from "../../src/eval/run";
import { openService } from "../bot/harness";

let service: QaService;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ service, cleanup } = await openService()));
afterAll(() => cleanup?.());

describe("evaluate", () => {
  // The second question names no province: alone it finds some rice-market article, as a follow-up the one just asked about.
  const items: QaItem[] = [
    { id: "1", question: "Giá lúa ở Sóc Trăng là bao nhiêu?", gold_article_id: "lua-4" },
    { id: "2", question: "Thương lái cho biết nhu cầu thu mua thế nào?", gold_article_id: "lua-4" },
  ];

  it("asks each question on its own, or as one conversation with --follow-ups", async () => {
    expect(computeMetrics(await evaluate(service, items)).recallAt1).toBe(0.5);
    expect(computeMetrics(await evaluate(service, items, { followUps: true })).recallAt1).toBe(1);
    // A follow-up of the answer before it, not of the question before it: asked first, it has none.
    expect(computeMetrics(await evaluate(service, [...items].reverse(), { followUps: true })).recallAt1).toBe(0.5);
  });
});

describe("shuffled", () => {
  const items = Array.from({ length: 20 }, (_, i) => i);

  it("is a permutation that depends only on the seed", () => {
    const once = shuffled(items, 1);
    expect(once).toEqual(shuffled(items, 1));
    expect(once).not.toEqual(items);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, 2)).not.toEqual(once);
  });
});
