import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkArticle, splitSentences } from "../../src/chunk";
import { testArticle } from "../helpers/articles";

const sentence = fc
  .array(fc.constantFrom("Hữu", "Lũng", "đảng", "viên", "kinh", "tế", "năm", "2006", "TP.HCM", "“trích", "dẫn”", "3.500"), {
    minLength: 1,
    maxLength: 25,
  })
  .map((words) => `${words.join(" ")}${["." , "!", "?", "…", ""][words.length % 5]}`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 8 }).map((s) => s.join(" "));
const body = fc.array(paragraph, { minLength: 1, maxLength: 6 }).map((p) => p.join("\n"));

describe("chunkArticle", () => {
  it("gives chunks whose offsets slice exactly their text, covering every sentence, for any body", () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 200, max: 1500 }), fc.integer({ min: 0, max: 3 }), (text, maxChars, overlap) => {
        const article = testArticle({ id: "a", title: "t", body: text });
        const chunks = chunkArticle(article, { maxChars, overlapSentences: overlap });
        const sentences = splitSentences(article.body);
        const covered = new Set<number>();
        chunks.forEach((chunk, i) => {
          expect(chunk.ordinal).toBe(i);
          expect(chunk.start).toBe(chunk.sentences[0]!.start);
          expect(chunk.end).toBe(chunk.sentences.at(-1)!.end);
          for (const s of chunk.sentences) {
            covered.add(s.start);
            const text = article.body.slice(s.start, s.end);
            expect(text).toBe(text.trim());
            expect(text).not.toContain("\n");
          }
          // Over the limit only when a single sentence is longer than the limit.
          if (chunk.end - chunk.start > maxChars) expect(chunk.sentences).toHaveLength(1);
        });
        expect(covered.size).toBe(sentences.length);
      }),
      { numRuns: 200 },
    );
  });

  it("repeats the last sentence of a chunk at the start of the next when overlapping by one", () => {
    const text = Array.from({ length: 12 }, (_, i) => `Câu số ${i} nói về chuyện kinh tế của huyện.`).join(" ");
    const chunks = chunkArticle(testArticle({ id: "a", title: "t", body: text }), { maxChars: 200, overlapSentences: 1 });
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.sentences[0]).toEqual(chunks[i - 1]!.sentences.at(-1));
    }
  });

  it("keeps an abbreviation with its sentence instead of quoting “Ông A.” alone", () => {
    const text = "Ông A. Nguyễn nói rằng giá lúa tăng. Sau đó TP.HCM có mưa lớn.";
    const spans = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(["Ông A. Nguyễn nói rằng giá lúa tăng.", "Sau đó TP.HCM có mưa lớn."]);
  });
});
