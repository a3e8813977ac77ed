import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LexicalIndex, TITLE_WEIGHT, type LexicalDocument } from "../../src/store/lexical";
import { PostingsCache } from "../../src/store/postings-cache";
import { fold, indexTerms } from "../../src/text/vietnamese";
import { SMALL_CORPUS } from "../helpers/articles";

/**
 * The first builder (a JS array of [doc, tf, …] per term): the memory-lean builder must index the
 * same postings, lengths and leads; its file sorts the terms (format 5), which changes their ids only.
 */
function referenceIndex(documents: LexicalDocument[]) {
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
  return { postings, lengths, leads };
}

/** A term's postings as [doc, tf, …] (the reference's shape). */
function postingsOf(index: LexicalIndex, id: number): number[] {
  const { docs, tfs, start, end } = index.postingList(id, 0).all();
  const flat: number[] = [];
  for (let p = start; p < end; p++) flat.push(docs[p]!, tfs[p]!);
  return flat;
}

describe("LexicalIndex.build", () => {
  it("indexes what the first builder indexed: every term's postings, the lengths and the leads", async () => {
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
    const built = await LexicalIndex.build(documents);
    const reference = referenceIndex(documents);
    expect(built.passageLengths).toEqual(reference.lengths);
    expect([...built.leadFlags.keys()].filter((i) => built.leadFlags[i] === 1)).toEqual(reference.leads);
    const terms = [...reference.postings.keys()];
    expect(terms.map((term) => postingsOf(built, [...built.termIdsOf(term, false)][0]!))).toEqual(terms.map((term) => reference.postings.get(term)));
    expect(terms.reduce((n, term) => n + reference.postings.get(term)!.length / 2, 0)).toBeGreaterThan(1 << 16); // the arrays grew
    // Ids are ranks in byte order: every term has one, and they are sorted.
    const byId = terms.map((_, id) => built.termAt(id));
    expect(new Set(byId)).toEqual(new Set(terms));
    expect(byId.every((term, i) => i === 0 || Buffer.compare(Buffer.from(byId[i - 1]!), Buffer.from(term)) < 0)).toBe(true);
  });
});

describe("the lexical index file", () => {
  const documents: LexicalDocument[] = [
    { id: 0, title: "Hữu Lũng", text: "Mưa lớn ở huyện Hữu Lũng gây sạt lở", ordinal: 0 },
    { id: 1, title: "Hưu trí", text: "Tuổi nghỉ hưu của người lao động tăng", ordinal: 1 },
    { id: 2, title: "", text: "Huu lung viết không dấu, và hữu ích", ordinal: 0 },
  ];

  it("loads from its bytes into an index that answers exactly as the built one", async () => {
    const built = await LexicalIndex.build(documents);
    const loaded = LexicalIndex.fromBuffer(built.bytes.slice().buffer, "copy");
    expect(loaded.bytes).toEqual(built.bytes);
    for (const queries of [
      [{ terms: ["hữu", "lũng"], folded: false, boost: 1 }],
      [{ terms: ["huu", "lung"], folded: true, boost: 0.3 }],
      [{ terms: ["hưu", "trí"], folded: false, boost: 1 }, { terms: ["huu"], folded: true, boost: 0.5 }],
    ]) {
      expect(loaded.search(queries)).toEqual(built.search(queries));
      expect(loaded.search(queries).length).toBeGreaterThan(0);
    }
  });

  it("read from disk, reads postings on demand through a bounded cache and answers exactly as the built one", async () => {
    const corpus: LexicalDocument[] = SMALL_CORPUS.flatMap((article) => article.body.split("\n").map((text) => ({ title: article.title, text })))
      .concat(documents)
      .map((doc, id) => ({ ...doc, id, ordinal: id % 3 }));
    const built = await LexicalIndex.build(corpus);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lexical-file-"));
    try {
      const file = path.join(dir, "lexical.bin");
      await fs.writeFile(file, built.bytes);
      const cache = new PostingsCache(2048); // a few terms' postings or blocks: most reads evict
      const loaded = await LexicalIndex.read(file, { cache });
      const words = [...new Set(corpus.flatMap((doc) => doc.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean))];
      for (let i = 0; i + 3 <= words.length; i += 3) {
        const queries = [
          { terms: words.slice(i, i + 3), folded: false, boost: 1 },
          { terms: words.slice(i, i + 3).map(fold), folded: true, boost: 0.3 },
        ];
        expect(loaded.search(queries)).toEqual(built.search(queries));
        expect(loaded.searchExhaustive(queries)).toEqual(built.searchExhaustive(queries));
      }
      expect(cache.weight).toBeLessThanOrEqual(2048);
      expect(cache.weight).toBeGreaterThan(0);
      const dead = Uint8Array.from(corpus, (_, i) => (i % 4 === 1 ? 1 : 0));
      expect(await loaded.deadFrequencies(dead)).toEqual(await built.deadFrequencies(dead));
      expect(() => loaded.bytes).toThrow(/linked/);
      // Cut short: refused at load, not when a question reaches the missing postings.
      await fs.writeFile(file, built.bytes.subarray(0, built.bytes.length - 8));
      await expect(LexicalIndex.read(file)).rejects.toThrow(/cut short.*--rebuild/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("read with a twin, takes the twin's dictionary sections only where their bytes are the same", async () => {
    // "lúa" and "lùa" are as long in UTF-8 and fold alike: the same lengths everywhere, other term bytes.
    const of = (words: string) => LexicalIndex.build([{ id: 0, title: "", text: words, ordinal: 0 }, { id: 1, title: "Mưa", text: "mưa to", ordinal: 1 }]);
    const [lua, lua2] = [await of("lúa chín"), await of("lùa chín")];
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lexical-twin-"));
    try {
      const files = [path.join(dir, "a.bin"), path.join(dir, "b.bin")];
      await fs.writeFile(files[0]!, lua.bytes);
      await fs.writeFile(files[1]!, lua2.bytes);
      const first = await LexicalIndex.read(files[0]!);
      const same = await LexicalIndex.read(files[0]!, { twin: first });
      expect(same.sharedWith(first)).toEqual({ terms: true, folded: true, spellings: true });
      const other = await LexicalIndex.read(files[1]!, { twin: first });
      expect(other.sharedWith(first)).toEqual({ terms: false, folded: true, spellings: true });
      for (const [loaded, built] of [[same, lua], [other, lua2]] as const) {
        for (const queries of [
          [{ terms: ["lúa", "lùa", "mưa", "chín", "lúa_chín"], folded: false, boost: 1 }],
          [{ terms: ["lua", "mua", "lua_chin"], folded: true, boost: 0.3 }],
        ]) {
          expect(loaded.search(queries)).toEqual(built.search(queries));
        }
      }
      expect([other.documentFrequency("lúa"), other.documentFrequency("lùa")]).toEqual([0, 1]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("looks up NFC terms exactly and folded terms by every spelling, in order of first occurrence", async () => {
    const index = await LexicalIndex.build(documents);
    expect(index.documentFrequency("hữu")).toBe(2);
    expect(index.documentFrequency("hữu".normalize("NFD"))).toBe(0);
    const spellings = [...index.termIdsOf("huu", true)].map((id) => index.termAt(id));
    expect(spellings).toEqual(["hữu", "hưu", "huu"]);
    expect([...index.termIdsOf("hữu", true)]).toEqual([]); // folded lookups take folded forms
    expect([...index.termIdsOf("xyz", false)]).toEqual([]);
  });
});
