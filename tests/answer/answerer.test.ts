import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAnswer, type AnswerOptions } from "../../src/answer";
import { read } from "../../src/read";
import { Retriever } from "../../src/retrieve";
import type { CorpusIndex } from "../../src/store";
import { syllables } from "../../src/text/vietnamese";
import { SMALL_CORPUS } from "../helpers/articles";
import { buildTestIndex } from "../helpers/small-index";

let index: CorpusIndex;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ index, cleanup } = await buildTestIndex()));
afterAll(() => cleanup());

const ask = async (question: string, options: AnswerOptions = { maxSources: 3, maxQuotesPerSource: 2 }) => {
  const retrieval = await new Retriever(index, null).retrieve(question);
  const reading = read(retrieval, index);
  return composeAnswer(question, retrieval, reading, options);
};

const vocabularyWords = [...new Set(SMALL_CORPUS.flatMap((a) => syllables(`${a.title} ${a.body}`)))];

describe("composeAnswer", () => {
  it("quotes only text that stands verbatim in the article at the recorded offsets, for any question", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...vocabularyWords, "là", "gì", "bao", "nhiêu", "xyz"), { minLength: 1, maxLength: 8 }), async (words) => {
        const answer = await ask(words.join(" "));
        for (const part of answer.parts) {
          const article = index.article(part.articleId)!;
          expect(article.body.slice(part.quote.start, part.quote.end)).toBe(part.quote.text);
          expect(part.quote.text.length).toBeGreaterThan(0);
        }
        for (const citation of answer.citations) {
          const article = index.article(citation.articleId)!;
          for (const q of citation.quotes) expect(article.body.slice(q.start, q.end)).toBe(q.text);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("numbers citations in order of first use; every [n] resolves and every citation is used", async () => {
    for (const question of ["Giá lúa tăng bao nhiêu?", "đội tuyển bóng đá nữ huy chương vàng", "đảng viên Hữu Lũng", "mưa lũ sạt lở"]) {
      const answer = await ask(question);
      expect(answer.notFound).toBe(false);
      const markers = [...answer.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      const numbers = answer.citations.map((c) => c.n);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      expect(new Set(markers)).toEqual(new Set(numbers));
      const firstUse = [...new Set(markers)];
      expect(firstUse).toEqual([...firstUse].sort((a, b) => a - b));
    }
  });

  it("dates an answer to a question about now by its newest source, and only such an answer", async () => {
    const now = await ask("Giá lúa An Giang hiện nay là bao nhiêu?");
    expect(now.notFound).toBe(false);
    const newest = now.citations.map((c) => c.publishedAt!.slice(0, 10)).sort().at(-1);
    expect(now.asOf).toBe(newest);
    expect(now.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Typed without accents, the same.
    expect((await ask("gia lua an giang hien nay la bao nhieu")).asOf).toBe(newest);
    expect((await ask("Giá lúa An Giang là bao nhiêu?")).asOf).toBeUndefined();
  });

  it("answers with the sentence that holds the fact, and its source", async () => {
    const answer = await ask("Huấn luyện viên đội tuyển bóng đá nữ là ai?");
    expect(answer.citations[0]).toMatchObject({ n: 1, articleId: "bong-da", publishedAt: "2022-05-21" });
    expect(answer.citations[0]!.quotes.map((q) => q.text).join(" ")).toContain("Huấn luyện viên Mai Đức Chung");
    expect(answer.language).toBe("vi");
  });

  it("respects the limits on sources and quotes per source", async () => {
    const answer = await ask("giá lúa đảng viên bóng đá mưa lũ", { maxSources: 2, maxQuotesPerSource: 1 });
    expect(answer.citations.length).toBeLessThanOrEqual(2);
    for (const c of answer.citations) expect(c.quotes.length).toBeLessThanOrEqual(1);
  });

  it("keeps a reply to a phone screen: further quotes only while the quotes stay within the budget", async () => {
    const question = "đội tuyển bóng đá nữ huy chương vàng";
    const full = await ask(question);
    expect(full.parts.length).toBeGreaterThan(1);
    const quoted = (answer: Awaited<ReturnType<typeof ask>>) => answer.parts.reduce((n, p) => n + p.quote.text.length, 0);
    const first = full.parts[0]!.quote.text.length;
    // The first quote is shown whatever its length; the next only within the budget.
    const tight = await ask(question, { maxSources: 3, maxQuotesPerSource: 2, maxQuotedChars: first });
    expect(tight.parts.map((p) => p.quote.text)).toEqual([full.parts[0]!.quote.text]);
    const some = await ask(question, { maxSources: 3, maxQuotesPerSource: 2, maxQuotedChars: quoted(full) - 1 });
    expect(some.parts.length).toBeLessThan(full.parts.length);
    expect(quoted(some)).toBeLessThanOrEqual(quoted(full) - 1);
  });

  it("says not found, in the question's language, with the nearest headlines", async () => {
    const vi = await ask("Công thức nấu phở bò Nam Định như thế nào?");
    expect(vi).toMatchObject({ notFound: true, parts: [], citations: [] });
    expect(vi.text).toMatch(/^Không tìm thấy/);
    const en = await ask("What is the recipe for beef pho in Nam Dinh?");
    expect(en.notFound).toBe(true);
    expect(en.text).toMatch(/^No answer/);
    expect(vi.suggestions.length).toBeLessThanOrEqual(3);
  });
});
