import { describe, expect, it } from "vitest";
import { LexicalIndex, TITLE_WEIGHT, type LexicalDocument } from "../../src/store/lexical";
import { indexTerms } from "../../src/text/vietnamese";
import { SMALL_CORPUS } from "../helpers/articles";

/**
 * The first builder (a JS array of [doc, tf, …] per term), serialised as `toFiles` does: the
 * memory-lean builder must write the same files, byte for byte (the on-disk format is unchanged).
 */
function referenceFiles(documents: LexicalDocument[]): { header: string; postings: Buffer } {
  const postings = new Map<string, number[]>();
  const lengths = new Float32Array(documents.length);
  const leads: number[] = [];
  for (const doc of documents) {
    const weights = new Map<string, number>();
    const add = (terms: string[], weight: number) => {
      for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + weight);
      return terms.length * weight;
    };
    lengths[doc.id] = add(indexTerms(doc.text), 1) + add(indexTerms(doc.title), TITLE_WEIGHT);
    for (const [term, tf] of weights) {
      const list = postings.get(term);
      if (list) list.push(doc.id, tf);
      else postings.set(term, [doc.id, tf]);
    }
    if (doc.ordinal === 0) leads.push(doc.id);
  }
  const terms = [...postings.keys()];
  const offsets = new Uint32Array(terms.length + 1);
  terms.forEach((term, i) => (offsets[i + 1] = offsets[i]! + postings.get(term)!.length / 2));
  const lists = terms.map((term) => postings.get(term)!);
  const docs = Uint32Array.from(lists.flatMap((list) => list.filter((_, k) => k % 2 === 0)));
  const tfs = Float32Array.from(lists.flatMap((list) => list.filter((_, k) => k % 2 === 1)));
  const averageLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  const header = JSON.stringify({ version: 1, documents: documents.length, averageLength, terms, leads });
  return { header, postings: Buffer.concat([offsets, docs, tfs, lengths].map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))) };
}

describe("LexicalIndex.build", () => {
  it("writes the same files as the first builder (terms in order of first occurrence, postings by passage)", async () => {
    // Paragraphs of the test corpus as passages, several times over (the growable arrays must grow),
    // with titles repeated across passages of one article and leads on ordinal 0.
    const documents: LexicalDocument[] = [];
    for (let round = 0; round < 120; round++) {
      for (const article of SMALL_CORPUS) {
        article.body.split("\n").forEach((paragraph, ordinal) => {
          documents.push({ id: documents.length, title: article.title, text: `${paragraph} ${round}`, ordinal });
        });
      }
    }
    const built = (await LexicalIndex.build(documents)).toFiles();
    const reference = referenceFiles(documents);
    expect(built.header).toBe(reference.header);
    expect(built.postings.equals(reference.postings)).toBe(true);
    const terms = (JSON.parse(built.header) as { terms: string[] }).terms.length;
    expect(built.postings.readUInt32LE(terms * 4)).toBeGreaterThan(1 << 16); // the arrays grew
  });
});
