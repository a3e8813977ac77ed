import { describe, expect, it } from "vitest";
import type { Article, Span } from "../../src/domain/types";
import { SentenceTerms } from "../../src/retrieve/sentence-terms";
import { PackedTokens } from "../../src/text/token-cache";
import { tokenize } from "../../src/text/vietnamese";

const body = "Ông Sa sống ở Hữu Lũng. Giá 3.5 triệu đồng, tăng 2.\nĐoạn mới về kinh tế-văn hoá.";
const article = (id: string, text = body): Article => ({
  id,
  title: "Hữu Lũng: chuyện ông Sa",
  publishedAt: null,
  author: null,
  url: null,
  category: null,
  body: text,
  captions: [],
  source: "test",
  contentHash: id,
});
// The second sentence ends inside "3.5": its tokens are its own text's, not the body's.
const SPANS: Span[] = [
  { start: 0, end: 23 },
  { start: 24, end: 32 },
  { start: 32, end: 52 },
  { start: 53, end: body.length },
];

describe("SentenceTerms", () => {
  it("numbers the title's and each sentence's terms as tokenize finds them in the sentence's text", () => {
    const packed = new PackedTokens(2 ** 20);
    const terms = new SentenceTerms(() => SPANS, 2 ** 20, packed);
    const a = article("a");
    const read = terms.of(a);
    const numbers = (text: string) => tokenize(text).map((t) => packed.numberOf(t.term));
    expect([...read.title]).toEqual(numbers(a.title));
    const sentences = SPANS.map((_, i) => [...read.terms.subarray(i === 0 ? 0 : read.ends[i - 1]!, read.ends[i]!)]);
    expect(sentences).toEqual(SPANS.map((s) => numbers(body.slice(s.start, s.end))));
    expect(sentences[1]).toEqual(numbers("Giá 3.5"));
  });

  it("remembers an article: its body and sentences are read once", () => {
    let sentenceCalls = 0;
    let bodyReads = 0;
    const terms = new SentenceTerms(() => (sentenceCalls++, SPANS), 2 ** 20, new PackedTokens(2 ** 20));
    const a = article("a");
    const counted = Object.defineProperty({ ...a }, "body", { get: () => (bodyReads++, body) }) as Article;
    const first = terms.of(counted);
    expect(terms.of(counted)).toBe(first);
    expect([sentenceCalls, bodyReads, terms.size]).toEqual([1, 1, 1]);
  });

  it("reads an article again when the numbering started over", () => {
    const packed = new PackedTokens(2 ** 20, tokenize, 40);
    const terms = new SentenceTerms(() => SPANS, 2 ** 20, packed);
    const first = terms.of(article("a"));
    packed.packed("một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba mười bốn mười lăm mười sáu mười bảy hai mươi hai mươi mốt ba mươi");
    expect(packed.generation).toBe(1);
    const again = terms.of(article("a"));
    expect(again).not.toBe(first);
    expect([...again.title]).toEqual(tokenize(article("a").title).map((t) => packed.numberOf(t.term)));
  });
});
