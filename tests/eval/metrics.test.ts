import { describe, expect, it } from "vitest";
import { computeMetrics, type EvalCase } from "../../src/eval/metrics";
import { stripDiacritics, stripEveryOtherWord } from "../../src/eval/run";

const base = { answers: ["8 triệu tấn"], quotes: [], notFound: false, latencyMs: 10 };

describe("computeMetrics", () => {
  it("computes recall@k, MRR@10, containment, not-found and latency as checked by hand", () => {
    const cases: EvalCase[] = [
      // gold at rank 1, answer quoted (in another case and spacing)
      { ...base, id: "q1", goldArticleId: "a", rankedArticleIds: ["a", "b"], quotes: ["xuất khẩu có thể đạt 8  Triệu tấn."], latencyMs: 10 },
      // gold at rank 3, answer not quoted
      { ...base, id: "q2", goldArticleId: "a", rankedArticleIds: ["b", "c", "a"], quotes: ["khác"], latencyMs: 20 },
      // gold at rank 7, answered not found
      { ...base, id: "q3", goldArticleId: "a", rankedArticleIds: ["b", "c", "d", "e", "f", "g", "a"], notFound: true, latencyMs: 30 },
      // gold missing
      { ...base, id: "q4", goldArticleId: "a", rankedArticleIds: ["b"], latencyMs: 40 },
      // off-corpus, rightly not found
      { ...base, id: "q5", goldArticleId: null, rankedArticleIds: ["b"], notFound: true, latencyMs: 50 },
    ];
    const m = computeMetrics(cases);
    expect(m.questions).toBe(5);
    expect(m.answerable).toBe(4);
    expect(m.recallAt1).toBeCloseTo(1 / 4);
    expect(m.recallAt5).toBeCloseTo(2 / 4);
    expect(m.mrrAt10).toBeCloseTo((1 + 1 / 3 + 1 / 7) / 4);
    expect(m.answerContainment).toBeCloseTo(1 / 4);
    expect(m.notFoundRate).toBeCloseTo(1 / 4);
    expect(m.offCorpusNotFoundRate).toBe(1);
    expect(m.latencyP50Ms).toBe(30);
    expect(m.latencyP95Ms).toBe(50);
  });

  it("strips every diacritic but keeps letter case", () => {
    expect(stripDiacritics("Đội tuyển Việt Nam giành huy chương Vàng")).toBe("Doi tuyen Viet Nam gianh huy chuong Vang");
  });

  it("strips the diacritics of every other word, starting with the first", () => {
    expect(stripEveryOtherWord("Đội tuyển Việt Nam giành huy chương Vàng, 2-0!")).toBe("Doi tuyển Viet Nam gianh huy chuong Vàng, 2-0!");
  });
});
