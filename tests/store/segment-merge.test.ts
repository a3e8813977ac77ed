import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chunkArticle } from "../../src/chunk";
import { allocateSections, type SectionKind } from "../../src/store/binary-file";
import { ChunkTable } from "../../src/store/chunk-table";
import { LexicalIndex, type LexicalDocument } from "../../src/store/lexical";
import { mergeLexicalFiles } from "../../src/store/lexical-merge";
import { SectionedFile, SectionWriter } from "../../src/store/streamed-sections";
import { SMALL_CORPUS } from "../helpers/articles";

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "segment-merge-test-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const KINDS: SectionKind[] = ["f64", "u8", "u32", "f32", "u8", "u32"];

describe("streamed sections", () => {
  it("write the bytes allocateSections lays out, from pieces of any size, and read back in pieces of any size", () => {
    // Sections past a mebibyte (what a stream reads at a time), and empty ones.
    const lengths = [1, 3, 300_000, 0, 1_100_001, 17];
    const { buffer, sections } = allocateSections("TESTFILE", 3, KINDS.map((kind, i) => ({ kind, length: lengths[i]! })));
    sections.forEach((section, s) => section.forEach((_, k) => (section[k] = (k * 7 + s) % 251)));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400_000 }), { minLength: 1, maxLength: 6 }), (pieces) => {
        const file = path.join(root, `sections-${pieces.join("-")}.bin`);
        const writer = SectionWriter.create(file, "TESTFILE", 3, KINDS);
        sections.forEach((section, s) => {
          for (let at = 0, p = 0; at < section.length; at += pieces[p++ % pieces.length]!) writer.write(section.subarray(at, at + pieces[p % pieces.length]!));
          if (s < sections.length - 1) writer.next();
        });
        writer.close();
        const written = readFileSync(file);
        expect(written.equals(Buffer.from(buffer))).toBe(true);

        const opened = SectionedFile.open(file, "TESTFILE", 3, KINDS);
        sections.forEach((section, s) => {
          const stream = opened.stream(s);
          const read: number[] = [];
          for (let p = 0; stream.left > 0; p++) {
            const n = Math.min(stream.left, pieces[p % pieces.length]!);
            if (p % 3 === 2) read.push(stream.one());
            else for (const value of stream.take(n)) read.push(value);
          }
          expect(read.length).toBe(section.length);
          expect(Buffer.from(new Float64Array(read).buffer).equals(Buffer.from(Float64Array.from(section).buffer))).toBe(true);
        });
      }),
      { numRuns: 8, seed: 3 },
    );
  });

  it("refuses a section of another element size, and a file left unfinished is not readable", async () => {
    const file = path.join(root, "wrong.bin");
    const writer = SectionWriter.create(file, "TESTFILE", 3, KINDS);
    expect(() => writer.write(new Uint32Array(2))).toThrow(/f64/);
    writer.write(Float64Array.of(1));
    writer.next();
    writer.abandon();
    expect(() => SectionedFile.open(file, "TESTFILE", 3, KINDS)).toThrow(/not a readable index file/);
  });
});

/**
 * Passages of the test corpus, with spellings of one folded form first met in different groups
 * ("hòa", "hoà" are one spelling; "hoa", "hỏa", "họa" are not), digits, and characters beyond
 * U+FFFF (byte order differs from UTF-16 order there).
 */
function documents(): LexicalDocument[] {
  const extra = ["hoa hồng và họa sĩ", "hỏa hoạn ở Hòa Bình 2024", "😀 biểu tượng 𝔘 và ﬁ", "họa sĩ vẽ hoa, hỏa tiễn"];
  const texts = [...SMALL_CORPUS.flatMap((a) => a.body.split("\n").map((text) => ({ title: a.title, text }))), ...extra.map((text) => ({ title: "Tin vắn", text }))];
  return texts.map(({ title, text }, id) => ({ id, title, text, ordinal: id % 3 }));
}

/** The documents split before each of `cuts` (sorted, distinct, inside). */
function groups<T>(items: T[], cuts: number[]): T[][] {
  const bounds = [0, ...cuts, items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end));
}

describe("mergeLexicalFiles", () => {
  it("writes the file one index of every document writes, byte for byte, however they are split", async () => {
    const all = documents();
    const whole = Buffer.from((await LexicalIndex.build(all)).bytes);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: all.length - 1 }), { maxLength: 6 }), async (cuts) => {
        const parts = groups(all, [...cuts].sort((a, b) => a - b));
        const inputs: Array<{ file: string; base: number }> = [];
        let base = 0;
        for (const [i, part] of parts.entries()) {
          const file = path.join(root, `part-${run}-${i}.bin`);
          await fs.writeFile(file, (await LexicalIndex.build(part.map((doc, k) => ({ ...doc, id: k })))).bytes);
          inputs.push({ file, base });
          base += part.length;
        }
        const out = path.join(root, `merged-${run++}.bin`);
        await mergeLexicalFiles(inputs, out);
        expect((await fs.readFile(out)).equals(whole)).toBe(true);
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it("finds, folds and scores in the merged file as in the whole one", async () => {
    const all = documents();
    const parts = groups(all, [5, 9]);
    const inputs = [];
    for (const [i, part] of parts.entries()) {
      const file = path.join(root, `p${i}.bin`);
      await fs.writeFile(file, (await LexicalIndex.build(part.map((doc, k) => ({ ...doc, id: k })))).bytes);
      inputs.push({ file, base: parts.slice(0, i).reduce((n, p) => n + p.length, 0) });
    }
    await mergeLexicalFiles(inputs, path.join(root, "merged.bin"));
    const merged = await LexicalIndex.read(path.join(root, "merged.bin"));
    const whole = await LexicalIndex.build(all);
    for (const query of [["hoa"], ["hoa", "hong"], ["hoa", "binh"], ["bieu", "tuong"]]) {
      const queries = [{ terms: query, folded: true, boost: 1 }];
      const hits = merged.search(queries);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits).toEqual(whole.search(queries));
    }
  });

  it("removes what it wrote when an input is not a lexical index", async () => {
    const good = path.join(root, "good.bin");
    await fs.writeFile(good, (await LexicalIndex.build(documents())).bytes);
    const bad = path.join(root, "bad.bin");
    await fs.writeFile(bad, "not an index");
    await expect(mergeLexicalFiles([{ file: good, base: 0 }, { file: bad, base: 99 }], path.join(root, "out.bin"))).rejects.toThrow(/bad\.bin is not a readable index file/);
    await expect(fs.stat(path.join(root, "out.bin"))).rejects.toThrow(/ENOENT/);
  });
});

describe("ChunkTable.merge", () => {
  it("writes the table of every chunk, its articles renumbered, byte for byte as one table of them all", async () => {
    const chunking = { maxChars: 120, overlapSentences: 1 };
    const articles = [...SMALL_CORPUS, ...SMALL_CORPUS.map((a) => ({ ...a, id: `${a.id}-2` }))];
    const position = new Map(articles.map((a, i) => [a.id, i]));
    const whole = ChunkTable.encode(articles.flatMap((a) => chunkArticle(a, chunking)), (id) => position.get(id)!);
    const parts = groups(articles, [1, 4]);
    const inputs = [];
    for (const [i, part] of parts.entries()) {
      const local = new Map(part.map((a, k) => [a.id, k]));
      const file = path.join(root, `chunks-${i}.bin`);
      await fs.writeFile(file, ChunkTable.encode(part.flatMap((a) => chunkArticle(a, chunking)), (id) => local.get(id)!).bytes);
      inputs.push({ file, base: articles.indexOf(part[0]!) });
    }
    ChunkTable.merge(inputs, path.join(root, "chunks.bin"));
    expect((await fs.readFile(path.join(root, "chunks.bin"))).equals(Buffer.from(whole.bytes))).toBe(true);
    expect(ChunkTable.countIn(path.join(root, "chunks.bin"))).toBe(whole.size);
    expect(whole.size).toBeGreaterThan(articles.length);
  });
});
