import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ChunkTable } from "./chunk-table";
import { mergeLexicalFiles } from "./lexical-merge";
import { readSegmentIds, SEGMENT_FILES } from "./segment";
import type { CatalogRow } from "./stored-article";

/**
 * Merges the segments a full build wrote, in order, into one segment folder `into` (which exists),
 * removing each kind of input file once it is merged (so the disk holds one kind of file twice at
 * most, never the whole build twice). `step` is called before each file is written, as a save
 * calls it (the crash-test hook).
 *
 * Why: a search walks every segment's dictionary and posting lists for each of its terms, so a
 * 200,000-article archive built as 40 segments of 5,000 paid 40 lookups and 40 reads per term;
 * building it as one segment would hold the whole archive's postings in memory. Merging the
 * segments once written costs a sequential read and write of their files in bounded memory
 * (lexical-merge.ts), and gives the files a one-segment build writes, byte for byte.
 *
 * The inputs are a full build's: no tombstones, and the vocabulary of every passage in the last
 * segment (`buildSegment`'s `shared`), which the merged segment takes as it is.
 */
export async function mergeSegments(folders: readonly string[], into: string, step: (file: string, write: (target: string) => Promise<void>) => Promise<void>): Promise<void> {
  const file = (folder: string, name: string) => path.join(folder, name);
  const merge = async (name: string, write: (target: string) => Promise<void>) => {
    await step(path.join(into, name), write);
    await Promise.all(folders.map((folder) => fs.rm(file(folder, name), { force: true })));
  };
  // Where each input's articles and chunks start in the merged segment.
  const ids: string[] = [];
  const articleBases: number[] = [];
  const chunkBases: number[] = [];
  let chunks = 0;
  for (const folder of folders) {
    articleBases.push(ids.length);
    chunkBases.push(chunks);
    for (const id of await readSegmentIds(folder)) ids.push(id);
    chunks += ChunkTable.countIn(file(folder, SEGMENT_FILES.chunks));
  }

  await merge(SEGMENT_FILES.ids, (target) => fs.writeFile(target, JSON.stringify(ids)));
  // The article lines one file after the other: each input's lines start where the previous ones end.
  const byteBases: number[] = [];
  await merge(SEGMENT_FILES.articles, async (target) => {
    let bytes = 0;
    await fs.writeFile(target, "");
    for (const folder of folders) {
      byteBases.push(bytes);
      const source = file(folder, SEGMENT_FILES.articles);
      bytes += (await fs.stat(source)).size;
      await pipeline(createReadStream(source), createWriteStream(target, { flags: "a" }));
    }
  });
  // The catalog's rows, their byte ranges moved with their lines: the JSON of the whole list, written a segment's rows at a time.
  await merge(SEGMENT_FILES.catalog, async (target) => {
    const out = await fs.open(target, "w");
    try {
      let rows = 0;
      await out.write("[");
      for (const [i, folder] of folders.entries()) {
        const catalog = JSON.parse(await fs.readFile(file(folder, SEGMENT_FILES.catalog), "utf8")) as CatalogRow[];
        if (catalog.length === 0) continue;
        const text = catalog.map((row) => JSON.stringify(row.map((value, k) => (k >= BYTE_RANGE ? (value as number) + byteBases[i]! : value)))).join(",");
        await out.write(rows > 0 ? `,${text}` : text);
        rows += catalog.length;
      }
      await out.write("]");
    } finally {
      await out.close();
    }
  });
  await merge(SEGMENT_FILES.chunks, async (target) => ChunkTable.merge(folders.map((folder, i) => ({ file: file(folder, SEGMENT_FILES.chunks), base: articleBases[i]! })), target));
  await merge(SEGMENT_FILES.lexical, (target) => mergeLexicalFiles(folders.map((folder, i) => ({ file: file(folder, SEGMENT_FILES.lexical), base: chunkBases[i]! })), target));
  await merge(SEGMENT_FILES.articleLexical, (target) =>
    mergeLexicalFiles(folders.map((folder, i) => ({ file: file(folder, SEGMENT_FILES.articleLexical), base: articleBases[i]! })), target),
  );
  await merge(SEGMENT_FILES.vocabulary, (target) => fs.link(file(folders.at(-1)!, SEGMENT_FILES.vocabulary), target));
  const vectors = await fs.stat(file(folders[0]!, SEGMENT_FILES.vectors)).then(() => true, () => false);
  if (vectors) {
    await merge(SEGMENT_FILES.vectors, async (target) => {
      await fs.writeFile(target, "");
      for (const folder of folders) await pipeline(createReadStream(file(folder, SEGMENT_FILES.vectors)), createWriteStream(target, { flags: "a" }));
    });
  }
}

/** The catalog row's last two members: its line's byte range in articles.jsonl (`catalogRow`). */
const BYTE_RANGE = 7;
