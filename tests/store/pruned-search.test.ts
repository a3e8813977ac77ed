import { describe, expect, it } from "vitest";
import { ARTICLE_BM25, LexicalIndex, PASSAGE_BM25, type LexicalDocument, type TermQuery } from "../../src/store/lexical";
import { SegmentedLexical } from "../../src/store/segmented-lexical";
import { fold, indexTerms } from "../../src/text/vietnamese";
import { seeded } from "../helpers/seeded";


// Common syllables, several with more than one accented spelling of one folded form (folded terms
// union their postings), then a long tail of rarer ones, as in news text.
const COMMON = [
  "là", "la", "lá", "có", "cơ", "cô", "gì", "ghì", "và", "va", "của", "cua", "cửa", "người", "ngươi",
  "nhà", "nha", "bao", "báo", "nhiêu", "nhiều", "giá", "gia", "đá", "da",
];
const RARE = ["b", "c", "đ", "d", "h", "l", "m", "n", "ph", "qu", "s", "t", "th", "tr", "v", "x"].flatMap((onset) =>
  ["an", "ăn", "âm", "inh", "ương", "oai", "ênh", "ữu", "ũng"].map((rhyme) => onset + rhyme),
);
const SYLLABLES = [...COMMON, ...RARE];

/**
 * Passages drawn from a Zipf-like distribution (the first syllables are in most passages, like
 * "là" and "có"), of varied lengths, with exact duplicates (equal scores: the tie order by id is
 * checked too).
 */
function corpus(size: number, rng: () => number): LexicalDocument[] {
  const draw = () => SYLLABLES[Math.min(SYLLABLES.length - 1, Math.floor(SYLLABLES.length * rng() ** 3))]!;
  const documents: LexicalDocument[] = [];
  for (let id = 0; id < size; id++) {
    if (id > 0 && rng() < 0.05) {
      documents.push({ ...documents[Math.floor(rng() * id)]!, id });
      continue;
    }
    const words = Array.from({ length: 3 + Math.floor(rng() ** 2 * 80) }, draw);
    const title = rng() < 0.3 ? Array.from({ length: 4 }, draw).join(" ") : "";
    documents.push({ id, title, text: words.join(" "), ordinal: rng() < 0.2 ? 0 : 1 + Math.floor(rng() * 5) });
  }
  return documents;
}

/** A question shaped like `analyseQuery`'s: exact syllables and pairs, their folded twins, sometimes names. */
function question(rng: () => number): TermQuery[] {
  const words = Array.from({ length: 2 + Math.floor(rng() * 9) }, () => SYLLABLES[Math.floor(rng() * SYLLABLES.length)]!);
  const exact = indexTerms(words.join(" "));
  const queries: TermQuery[] = [
    { terms: exact, folded: false, boost: 1 },
    { terms: [...new Set(exact.map(fold))], folded: true, boost: 0.3 },
  ];
  if (rng() < 0.3) queries.push({ terms: words.slice(0, 2), folded: rng() < 0.5, boost: 1.5 });
  return queries;
}

describe("pruned lexical search", () => {
  it("returns exactly what exhaustive scoring returns: same ids, order and scores, with and without filters", async () => {
    const rng = seeded(14);
    const documents = corpus(1500, rng);
    const index = await LexicalIndex.build(documents);
    let compared = 0;
    let postings = 0;
    let walked = 0;
    for (let q = 0; q < 80; q++) {
      const queries = question(rng);
      const modulus = 2 + Math.floor(rng() * 7);
      const filters = [undefined, (id: number) => id % modulus !== 0, (id: number) => id % 97 === 3];
      for (const filter of filters) {
        for (const params of [PASSAGE_BM25, ARTICLE_BM25]) {
          // The reference's top k is a prefix of its top 200 (one sort of every candidate).
          const reference = index.searchExhaustive(queries, filter, 200, params);
          for (const limit of [1, 10, 50, 200]) {
            const pruned = index.search(queries, filter, limit, params);
            // JSON keeps every float exactly (shortest round-trip form) and compares fast.
            expect(JSON.stringify(pruned)).toBe(JSON.stringify(reference.slice(0, limit)));
            compared += pruned.length;
            postings += index.lastSearch.postings;
            walked += index.lastSearch.walked;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(25_000);
    // The pruning was exercised: most postings were looked up for a few candidates, not walked.
    expect(walked / postings).toBeLessThan(0.8);
  });

  it("is exact where the list of passages seen stops short of them (over 16 × 1,024 passages), search after search", async () => {
    // A search lists the passages it sees only up to max(1,024, a sixteenth of them); past that it
    // finds its candidates by a pass over every id and clears its scores whole. The common
    // syllables here are in thousands of passages, so most searches go past the list.
    const rng = seeded(33);
    const index = await LexicalIndex.build(corpus(20_000, rng));
    let compared = 0;
    for (let q = 0; q < 12; q++) {
      const queries = question(rng);
      const filters = [undefined, (id: number) => id % 5 !== 1];
      for (const filter of filters) {
        const reference = index.searchExhaustive(queries, filter, 200, PASSAGE_BM25);
        for (const limit of [10, 200]) {
          expect(JSON.stringify(index.search(queries, filter, limit, PASSAGE_BM25))).toBe(JSON.stringify(reference.slice(0, limit)));
          compared += Math.min(limit, reference.length);
        }
      }
    }
    expect(compared).toBeGreaterThan(3_000);
  });

  it("is unaffected by the searches before it (its score buffers are reused)", async () => {
    const rng = seeded(7);
    const index = await LexicalIndex.build(corpus(500, rng));
    const queries = question(rng);
    const first = index.search(queries, undefined, 20);
    for (let i = 0; i < 20; i++) index.search(question(rng), (id) => id % 3 === 0, 5);
    expect(index.search(queries, undefined, 20)).toEqual(first);
  });

  it("confined to given passages, returns what exhaustive scoring returns with a filter allowing exactly them", async () => {
    const rng = seeded(21);
    const [first, second] = [corpus(700, rng), corpus(500, rng)];
    const dead = new Uint8Array(500).map(() => (rng() < 0.1 ? 1 : 0));
    const [a, b] = [await LexicalIndex.build(first), await LexicalIndex.build(second)];
    const index = new SegmentedLexical([
      { index: a, dead: null, deadDf: null },
      { index: b, dead, deadDf: await b.deadFrequencies(dead) },
    ]);
    let compared = 0;
    for (let q = 0; q < 60; q++) {
      const queries = question(rng);
      // A few articles' passages: runs of consecutive ids, given in any order and with repeats.
      const ids = Array.from({ length: 1 + Math.floor(rng() * 12) }, () => Math.floor(rng() * 1190)).flatMap((s) => [s + 3, s, s + 1, s + 2, s + 1]);
      const allowed = new Set(ids);
      for (const params of [PASSAGE_BM25, ARTICLE_BM25]) {
        const reference = index.searchExhaustive(queries, (id) => allowed.has(id), 200, params);
        for (const limit of [1, 5, 200]) {
          const among = index.searchAmong(queries, ids, limit, params);
          expect(JSON.stringify(among)).toBe(JSON.stringify(reference.slice(0, limit)));
          compared += among.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(2_000);
    expect(index.searchAmong([{ terms: ["là"], folded: false, boost: 1 }], [])).toEqual([]);
  });

  it("returns nothing for no terms, unknown terms or a zero limit", async () => {
    const index = await LexicalIndex.build(corpus(50, seeded(1)));
    expect(index.search([])).toEqual([]);
    expect(index.search([{ terms: ["zorvania"], folded: false, boost: 1 }])).toEqual([]);
    expect(index.search([{ terms: ["là"], folded: false, boost: 1 }], undefined, 0)).toEqual([]);
  });
});
