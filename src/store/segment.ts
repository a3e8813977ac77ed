import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { chunkArticle, chunkText, titledText, type ChunkOptions } from "../chunk";
import type { Article, Chunk } from "../domain/types";
import { FORMAT_VERSION } from "./manifest";
import { ChunkTable } from "./chunk-table";
import { LexicalIndex } from "./lexical";
import type { PostingsCache } from "./postings-cache";
import { ArticleFile, catalogRow, StoredArticle, type CatalogRow } from "./stored-article";
import { runBetween, TermIds, type TermRun, type TokenisedText } from "./term-ids";
import { PassageTermCounts, TermCounter, Vocabulary } from "./vocabulary";
import { tokenRange } from "../text/token-cache";

/**
 * A segment: some articles, their passages, and the lexical indexes and vocabulary over them,
 * written once and never changed. A version is a list of segments plus the tombstones of the
 * articles deleted or replaced since (see disk.ts). A full build writes one segment (the base);
 * an incremental build keeps the previous version's segments (hard links) and adds one small one.
 *
 * This is a segment as loaded (`readSegment`): its articles' bodies stay in the file until read
 * (`StoredArticle`), its passages are a table (`ChunkTable`), its indexes views over their files.
 */
export interface Segment {
  /** Its folder name, unique (time and random suffix): in-memory segments are reused by name. */
  readonly name: string;
  readonly articles: Article[];
  /** In order of their articles; a chunk's local id is its position here. */
  readonly chunks: ChunkTable;
  /** BM25 over the chunks (ids: local chunk positions). */
  readonly lexical: LexicalIndex;
  /** BM25 over whole articles (ids: local article positions). */
  readonly articleLexical: LexicalIndex;
  readonly vocabulary: Vocabulary;
}

/** A segment as a build makes it (`buildSegment`), before it is written: its articles and chunks as objects. */
export interface BuiltSegment extends Omit<Segment, "chunks"> {
  readonly chunks: Chunk[];
}

/** The files of a segment folder, in the order they are written. */
export const SEGMENT_FILES = {
  ids: "ids.json",
  /** One Article per line: the texts quotes are cut from, read one article at a time (`StoredArticle`). */
  articles: "articles.jsonl",
  /** Per article what listings need, and where its line is in articles.jsonl (`CatalogRow`). */
  catalog: "catalog.json",
  /** The passages (chunk-table.ts). */
  chunks: "chunks.bin",
  /** BM25 over the passages: dictionary, folded forms, postings (lexical.ts, binary-file.ts). */
  lexical: "lexical.bin",
  /** The same over whole articles. */
  articleLexical: "articles-lexical.bin",
  /** Accented spellings and passage counts (vocabulary-file.ts). */
  vocabulary: "vocabulary.bin",
  /** Raw little-endian float32, chunks × dimensions (only with a model). */
  vectors: "vectors.f32",
} as const;

/** A new segment's name: sorts by creation time. */
export function segmentName(at: string): string {
  return `s-${at.replace(/[:.]/g, "")}-${Math.random().toString(36).slice(2, 8)}`;
}

/** How a segment's vocabulary is made (`buildSegment`). */
export interface SegmentVocabularyOptions {
  /** Keep every pair of the vocabulary (a small segment whose counts are summed with the base's). */
  complete?: boolean;
  /**
   * One of the segments of a build that writes several: its passages are counted into `counter`,
   * and only the `last` takes the vocabulary of them all, the others an empty one (see `TermCounter`).
   */
  shared?: { counter: TermCounter; last: boolean };
}

/**
 * Chunks, indexes and vocabulary of some articles: a segment (in memory), and its passages as the
 * model embeds them (`titled`: `titledText` by chunk, made when called: a build without a model
 * never holds them).
 *
 * Each article's title and body are tokenised once, their terms numbered (`TermIds`), and the
 * runs of ids feed the passage index (a passage's run is the part of its body's run between its
 * ends: `tokenRange`), the article index and the vocabulary count alike; the files are the same
 * bytes as when each of the three tokenised its own texts by string.
 */
export async function buildSegment(
  name: string,
  articles: Article[],
  chunking: ChunkOptions,
  { complete = false, shared, onChunked }: SegmentVocabularyOptions & { onChunked?: (articlesDone: number) => void } = {},
): Promise<{ segment: BuiltSegment; titled: () => string[] }> {
  const chunks: Chunk[] = [];
  /** Article i's chunks are chunks[firstChunk[i] … firstChunk[i + 1]). */
  const firstChunk: number[] = [];
  articles.forEach((article, i) => {
    firstChunk.push(chunks.length);
    for (const chunk of chunkArticle(article, chunking)) chunks.push(chunk);
    if (i % 200 === 0) onChunked?.(i);
  });
  firstChunk.push(chunks.length);
  const terms = new TermIds();
  const passageIndex = LexicalIndex.builder(terms, chunks.length);
  // The same text, whole: usually the same terms, so a load shares one dictionary between the two
  // (`readSegment`), but not by construction. A syllable pair across two passages that do not
  // overlap (after a passage of one long sentence) and the title of an article without sentences
  // are in this index only; and a folded form lists its spellings in order of first occurrence,
  // which differs when a spelling comes first in a title (passages) or later in the body (article).
  const articleIndex = LexicalIndex.builder(terms, articles.length);
  const counts = new PassageTermCounts();
  for (const [i, article] of articles.entries()) {
    const title = terms.tokenise(article.title);
    const body = terms.tokenise(article.body);
    for (let c = firstChunk[i]!; c < firstChunk[i + 1]!; c++) {
      const chunk = chunks[c]!;
      const passage = passageOf(terms, article, body, chunk);
      passageIndex.add(c, chunk.ordinal, passage.run, title.run);
      counts.add(title.run, passage.run, pairAcross(terms, article.title, title, passage));
    }
    articleIndex.add(i, 0, body.run, title.run);
    if (i % 100 === 99) await yieldToEventLoop();
  }
  const lexical = LexicalIndex.fromBuilder(passageIndex);
  await yieldToEventLoop();
  const articleLexical = LexicalIndex.fromBuilder(articleIndex);
  const counter = shared?.counter ?? new TermCounter();
  counter.addCounted(terms, counts);
  const vocabulary = !shared ? counter.vocabulary({ complete }) : shared.last ? counter.vocabulary() : Vocabulary.empty();
  // The last segment's vocabulary holds every count: the counter is done.
  if (shared?.last) counter.clear();
  const titled = () => articles.flatMap((article, i) => chunks.slice(firstChunk[i], firstChunk[i + 1]).map((chunk) => titledText(article.title, chunkText(article, chunk))));
  return { segment: { name, articles, chunks, lexical, articleLexical, vocabulary }, titled };
}

/**
 * A passage's run, and the text before its first token (null: it has none): the part of its
 * article body's run between its ends, or its own run when a token of the body crosses one of them
 * (a passage cut inside "3.5": the terms are then the passage's own, as `indexTerms` of its text).
 */
export function passageOf(terms: TermIds, article: Article, body: TokenisedText, chunk: Chunk): { run: TermRun; head: string | null } {
  const { starts, ends } = body;
  const range = tokenRange(starts.length, (i) => starts[i]!, (i) => ends[i]!, chunk.start, chunk.end);
  if (range) {
    const [from, to] = range;
    return { run: runBetween(body.run, from, to), head: from < to ? article.body.slice(chunk.start, starts[from]!) : null };
  }
  const text = chunkText(article, chunk);
  const own = terms.tokenise(text);
  return { run: own.run, head: own.starts.length > 0 ? text.slice(0, own.starts[0]!) : null };
}

/**
 * The pair the vocabulary counts across a titled passage's line break (`titledText`): the title's
 * last syllable and the passage's first, when only spaces stand between them, as `syllablePairs`
 * finds it in the titled text; −1 when not.
 */
function pairAcross(terms: TermIds, titleText: string, title: TokenisedText, passage: { run: TermRun; head: string | null }): number {
  const last = title.ends.length - 1;
  if (last < 0 || passage.head === null || !ONLY_SPACES.test(titleText.slice(title.ends[last]!)) || !ONLY_SPACES.test(passage.head)) return -1;
  return terms.pair(title.run.syllables[title.run.syllables.length - 1]!, passage.run.syllables[0]!);
}

/** Nothing, or only whitespace: with the line break between them, what `spaced` accepts. */
const ONLY_SPACES = /^\s*$/;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The vocabulary texts of some articles' passages: what their tombstones subtract. */
export function passageTextsOf(articles: Article[], chunking: ChunkOptions): string[] {
  return articles.flatMap((article) => chunkArticle(article, chunking).map((chunk) => titledText(article.title, chunkText(article, chunk))));
}

/**
 * Writes a segment's files into `folder` (which exists), calling `step` before each: the save's
 * crash-test hook. The vectors, when given, are the segment's chunks × dimensions.
 */
export async function writeSegment(
  folder: string,
  segment: BuiltSegment,
  vectors: Float32Array | null,
  step: (file: string, write: (target: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const { articles, chunks } = segment;
  const articleIndex = new Map(articles.map((a, i) => [a.id, i]));
  await step(SEGMENT_FILES.ids, (f) => fs.writeFile(f, JSON.stringify(articles.map((a) => a.id))));
  // One line per article, written a mebibyte at a time (the segment's texts are not held twice
  // more as lines and their join), each one's byte range noted for the catalog.
  const catalog: CatalogRow[] = [];
  await step(SEGMENT_FILES.articles, async (f) => {
    const handle = await fs.open(f, "w");
    try {
      let offset = 0;
      let batch: string[] = [];
      let batchChars = 0;
      for (const article of articles) {
        const line = JSON.stringify(article);
        const bytes = Buffer.byteLength(line);
        catalog.push(catalogRow(article, offset, bytes));
        offset += bytes + 1;
        batch.push(line, "\n");
        batchChars += line.length;
        if (batchChars >= WRITE_BATCH_CHARS) {
          await handle.write(batch.join(""));
          [batch, batchChars] = [[], 0];
        }
      }
      if (batch.length > 0) await handle.write(batch.join(""));
    } finally {
      await handle.close();
    }
  });
  await step(SEGMENT_FILES.catalog, (f) => fs.writeFile(f, JSON.stringify(catalog)));
  await step(SEGMENT_FILES.chunks, (f) => fs.writeFile(f, ChunkTable.encode(chunks, (id) => articleIndex.get(id)!).bytes));
  await step(SEGMENT_FILES.lexical, (f) => fs.writeFile(f, segment.lexical.bytes));
  await step(SEGMENT_FILES.articleLexical, (f) => fs.writeFile(f, segment.articleLexical.bytes));
  await step(SEGMENT_FILES.vocabulary, (f) => fs.writeFile(f, segment.vocabulary.bytes));
  if (vectors) await step(SEGMENT_FILES.vectors, (f) => fs.writeFile(f, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength)));
}

/** How many characters of articles.jsonl a segment write joins before writing them. */
const WRITE_BATCH_CHARS = 1 << 20;

/**
 * Reads a segment folder. The lexical indexes and the vocabulary are read into buffers and viewed
 * in place (no parsing: this runs on the thread that answers readers). The article index keeps
 * the passage index's dictionary sections wherever its own are the same bytes, which they are in
 * most segments (`LexicalIndex.read`'s `twin`; see `buildSegment` for when they differ): at
 * 200,000 articles a third of a loaded index's array buffers (1,002 → 663 MiB, README).
 * A version's load reads the two halves of its segments apart (`readSegmentIndexes`, then
 * `readSegmentCatalog`: every segment's binary files before any catalog, `loadIndex`).
 */
export async function readSegment(folder: string): Promise<Segment> {
  const indexes = await readSegmentIndexes(folder);
  return { name: path.basename(folder), articles: await readSegmentCatalog(folder), ...indexes };
}

/** What `readSegmentIndexes` reads: a segment's binary files. */
export type SegmentIndexes = Pick<Segment, "chunks" | "lexical" | "articleLexical" | "vocabulary">;

/** The binary files of a segment folder, each read into a buffer and viewed in place (`readSegment`). */
export async function readSegmentIndexes(folder: string): Promise<SegmentIndexes> {
  const file = (name: string) => path.join(folder, name);
  const chunks = await ChunkTable.read(file(SEGMENT_FILES.chunks));
  const { lexical, articleLexical } = await readSegmentLexical(folder);
  const vocabulary = await Vocabulary.read(file(SEGMENT_FILES.vocabulary));
  return { chunks, lexical, articleLexical, vocabulary };
}

/**
 * A segment folder's two lexical indexes, the article one viewing the passage one's dictionary
 * sections wherever they hold the same bytes (`LexicalIndex.read`'s `twin`). `cache`: where their
 * postings are kept (the process's shared cache by default; the search thread has its own).
 */
export async function readSegmentLexical(folder: string, options: { cache?: PostingsCache } = {}): Promise<Pick<Segment, "lexical" | "articleLexical">> {
  const lexical = await LexicalIndex.read(path.join(folder, SEGMENT_FILES.lexical), options);
  return { lexical, articleLexical: await LexicalIndex.read(path.join(folder, SEGMENT_FILES.articleLexical), { ...options, twin: lexical }) };
}

/** A segment's articles as loaded: their ids and catalog rows (JSON), their texts left in the file (`StoredArticle`). */
export async function readSegmentCatalog(folder: string): Promise<Article[]> {
  const file = (name: string) => path.join(folder, name);
  const ids = await readSegmentIds(folder);
  const catalog = JSON.parse(await fs.readFile(file(SEGMENT_FILES.catalog), "utf8")) as CatalogRow[];
  const texts = ArticleFile.open(file(SEGMENT_FILES.articles));
  return ids.map((id, i) => new StoredArticle(id, catalog[i]!, texts));
}

/** A segment's article ids, in order (small: what an incremental build reads to place tombstones). */
export async function readSegmentIds(folder: string): Promise<string[]> {
  return JSON.parse(await fs.readFile(path.join(folder, SEGMENT_FILES.ids), "utf8")) as string[];
}

/** The articles at these positions of a segment, parsing only their lines. */
export async function readSegmentArticles(folder: string, positions: Set<number>): Promise<Map<number, Article>> {
  const found = new Map<number, Article>();
  if (positions.size === 0) return found;
  let at = 0;
  const lines = readline.createInterface({ input: createReadStream(path.join(folder, SEGMENT_FILES.articles), "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    if (positions.has(at)) found.set(at, JSON.parse(line) as Article);
    at++;
    if (found.size === positions.size) {
      lines.close();
      break;
    }
  }
  return found;
}

/** A segment's chunk ids (`articleId#ordinal`) in order, and its vectors (chunks × dimensions). */
export async function readSegmentVectors(
  folder: string,
  ids: string[],
  dimensions: number,
  formatVersion = FORMAT_VERSION,
): Promise<{ chunkIds: string[]; data: Float32Array }> {
  const chunkIds = formatVersion === 4 ? await readFormat4ChunkIds(folder, ids) : await readChunkIds(folder, ids);
  const bytes = await fs.readFile(path.join(folder, SEGMENT_FILES.vectors));
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (data.length !== chunkIds.length * dimensions) throw new RangeError(`${folder}: ${data.length / dimensions} vectors for ${chunkIds.length} chunks`);
  return { chunkIds, data };
}

async function readChunkIds(folder: string, ids: string[]): Promise<string[]> {
  const chunks = await ChunkTable.read(path.join(folder, SEGMENT_FILES.chunks));
  return Array.from({ length: chunks.size }, (_, i) => `${ids[chunks.articleOf(i)]}#${chunks.ordinalOf(i)}`);
}

/**
 * The chunk ids of a format-4 segment (`chunks.json`: [articleIndex, ordinal, …] per chunk), whose
 * vectors a build still reuses: the format changed the lexical files, not what was embedded.
 */
async function readFormat4ChunkIds(folder: string, ids: string[]): Promise<string[]> {
  const rows = JSON.parse(await fs.readFile(path.join(folder, "chunks.json"), "utf8")) as Array<[number, number]>;
  return rows.map(([articleIndex, ordinal]) => `${ids[articleIndex]}#${ordinal}`);
}
