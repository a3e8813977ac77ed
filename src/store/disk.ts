import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import type { Article, Chunk } from "../domain/types";
import { IndexError } from "../domain/errors";
import { CorpusIndex } from "./corpus-index";
import { LexicalIndex } from "./lexical";
import { FORMAT_VERSION, type Manifest } from "./manifest";
import { VectorIndex } from "./vector-index";
import { Vocabulary } from "./vocabulary";

/**
 * On-disk layout of `embeddings/` (see README, "On-disk format"):
 *
 *   CURRENT                 the name of the version in service (replaced atomically by rename)
 *   v-<time>-<rand>/        one complete, immutable version
 *     manifest.json         format version, model, HNSW parameters, counts, content hashes
 *     articles.jsonl        one Article per line
 *     chunks.json           [articleIndex, ordinal, start, end, [sentence start/end …]] per chunk
 *     lexical.json          BM25 header: the term dictionary, counts, lead passages
 *     lexical.bin           BM25 postings: offsets, passage ids, weighted tfs, lengths (typed arrays)
 *     articles-lexical.*    the same over whole articles (article-level ranking)
 *     vocabulary.json       accented spellings and document frequencies
 *     vectors.f32           raw little-endian float32, chunks × dimensions (only with a model)
 *     hnsw.bin              hnswlib graph over those vectors (only with a model)
 *
 * A save writes a new version folder under a temporary name (`.v-….tmp`), renames it when every
 * file is on disk, then points CURRENT at it (via `CURRENT.<pid>.tmp`). A crash at any point leaves
 * CURRENT naming the old, complete version. After the switch the versions are pruned to two: the
 * new one and the one CURRENT named before it (the version that served last, kept to go back to).
 * A failed save removes what it wrote; what a killed one leaves (a staging folder, a temporary
 * CURRENT) is removed by `sweepLeftovers` when the next build starts (`buildIndex`, under the lock).
 */
const CURRENT = "CURRENT";
const FILES = {
  manifest: "manifest.json",
  articles: "articles.jsonl",
  chunks: "chunks.json",
  lexical: "lexical.json",
  postings: "lexical.bin",
  articleLexical: "articles-lexical.json",
  articlePostings: "articles-lexical.bin",
  vocabulary: "vocabulary.json",
  vectors: "vectors.f32",
  hnsw: "hnsw.bin",
} as const;

/** What a save is made of; `vectors` is the flat chunk-by-dimension matrix (or null). */
export interface IndexContents {
  manifest: Manifest;
  articles: Article[];
  chunks: Chunk[];
  lexical: LexicalIndex;
  articleLexical: LexicalIndex;
  vocabulary: Vocabulary;
  vectors: { data: Float32Array; index: VectorIndex } | null;
}

export interface SaveOptions {
  /** Called before each file is written: the injection point for crash tests. */
  onStep?: (file: string) => void | Promise<void>;
}

/** Writes a new version and switches CURRENT to it. Returns the version folder. */
export async function saveIndex(dir: string, contents: IndexContents, options: SaveOptions = {}): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const name = `v-${contents.manifest.builtAt.replace(/[:.]/g, "")}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = path.join(dir, `.${name}.tmp`);
  const final = path.join(dir, name);
  // What is on disk and not in service yet: removed if the save fails before the switch.
  let unserved = staging;
  await fs.mkdir(staging);
  let previous: string | null;
  try {
    const step = async (file: string, write: (target: string) => Promise<void>) => {
      await options.onStep?.(file);
      await write(path.join(staging, file));
    };
    const { articles, chunks, vectors } = contents;
    const articleIndex = new Map(articles.map((a, i) => [a.id, i]));
    await step(FILES.articles, (f) => fs.writeFile(f, articles.map((a) => JSON.stringify(a)).join("\n") + "\n"));
    await step(FILES.chunks, (f) =>
      fs.writeFile(
        f,
        JSON.stringify(
          chunks.map((c) => [articleIndex.get(c.articleId), c.ordinal, c.start, c.end, c.sentences.flatMap((s) => [s.start, s.end])]),
        ),
      ),
    );
    for (const [index, header, postings] of [
      [contents.lexical, FILES.lexical, FILES.postings],
      [contents.articleLexical, FILES.articleLexical, FILES.articlePostings],
    ] as const) {
      const files = index.toFiles();
      await step(header, (f) => fs.writeFile(f, files.header));
      await step(postings, (f) => fs.writeFile(f, files.postings));
    }
    await step(FILES.vocabulary, (f) => fs.writeFile(f, JSON.stringify(contents.vocabulary.toJSON())));
    if (vectors) {
      await step(FILES.vectors, (f) =>
        fs.writeFile(f, new Uint8Array(vectors.data.buffer, vectors.data.byteOffset, vectors.data.byteLength)),
      );
      await step(FILES.hnsw, (f) => vectors.index.write(f));
    }
    // The manifest goes last: a folder with a manifest is a complete folder.
    await step(FILES.manifest, (f) => fs.writeFile(f, JSON.stringify(contents.manifest, null, 2)));
    await fsyncDir(staging);
    previous = await currentName(dir);
    await fs.rename(staging, final);
    unserved = final;
    await writeAtomically(path.join(dir, CURRENT), name + "\n");
  } catch (error) {
    // A version that never served is not kept, neither as staging nor under its final name.
    await fs.rm(unserved, { recursive: true, force: true });
    throw error;
  }
  // The new version is in service: pruning the old ones is housekeeping, and failing at it must not
  // report the build as failed (the next save prunes again).
  await removeOldVersions(dir, [name, previous]).catch(() => undefined);
  return final;
}

/**
 * Removes what killed builds left in an index folder: staging folders (`.v-….tmp`) and temporary
 * CURRENT files (`CURRENT.<pid>.tmp`), whatever their age. Only call it while holding the build
 * lock (`acquireBuildLock`): a build writing there right now has the same kind of names.
 * @returns the names removed
 */
export async function sweepLeftovers(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const leftovers = entries
    .filter((e) => (e.isDirectory() && isStagingName(e.name)) || (e.isFile() && isTempCurrentName(e.name)))
    .map((e) => e.name);
  await Promise.all(leftovers.map((name) => fs.rm(path.join(dir, name), { recursive: true, force: true })));
  return leftovers;
}

const isStagingName = (name: string) => name.startsWith(".v-") && name.endsWith(".tmp");
const isTempCurrentName = (name: string) => name.startsWith(`${CURRENT}.`) && name.endsWith(".tmp");

/** The name of the version CURRENT points at (not its path), or null. */
async function currentName(dir: string): Promise<string | null> {
  const version = await currentVersion(dir);
  return version ? path.basename(version) : null;
}

/** The folder CURRENT names, or null when there is no index yet. */
export async function currentVersion(dir: string): Promise<string | null> {
  try {
    const name = (await fs.readFile(path.join(dir, CURRENT), "utf8")).trim();
    return name ? path.join(dir, name) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Reads only the manifest of the version in service (null when there is none). */
export async function readManifest(dir: string): Promise<Manifest | null> {
  const version = await currentVersion(dir);
  if (!version) return null;
  return JSON.parse(await fs.readFile(path.join(version, FILES.manifest), "utf8")) as Manifest;
}

export interface LoadOptions {
  /**
   * The model the caller will embed queries with (id and dimensions), or null when it has none.
   * An index whose vectors came from another model is refused; with null the vectors are not loaded.
   */
  model: { id: string; dimensions: number } | null;
}

/**
 * Loads the version in service.
 * @throws IndexError when there is none, it is of another format, or its vectors came from another model.
 */
export async function loadIndex(dir: string, options: LoadOptions): Promise<CorpusIndex> {
  const version = await currentVersion(dir);
  if (!version) throw new IndexError(`no index in ${dir}`, "run `npm run ingest` to build it");
  const file = (name: string) => path.join(version, name);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(file(FILES.manifest), "utf8")) as Manifest;
  } catch (error) {
    throw new IndexError(`${version} has no readable manifest (${(error as Error).message})`);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(
      `${dir} is in index format ${manifest.formatVersion}, this version of the bot reads format ${FORMAT_VERSION}`,
    );
  }
  const wanted = options.model;
  if (wanted && manifest.model && (manifest.model.id !== wanted.id || manifest.model.dimensions !== wanted.dimensions)) {
    throw new IndexError(
      `${dir} was built with model ${manifest.model.id} (${manifest.model.dimensions} dims) but the config names ${wanted.id} (${wanted.dimensions} dims)`,
    );
  }

  try {
    return await readVersion(version, manifest, wanted);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IndexError(`${version} is incomplete (${path.basename((error as NodeJS.ErrnoException).path ?? "a file")} is missing)`);
    }
    throw error;
  }
}

async function readVersion(version: string, manifest: Manifest, wanted: LoadOptions["model"]): Promise<CorpusIndex> {
  const file = (name: string) => path.join(version, name);
  const articles = await readJsonLines<Article>(file(FILES.articles));
  const rawChunks = JSON.parse(await fs.readFile(file(FILES.chunks), "utf8")) as Array<[number, number, number, number, number[]]>;
  const chunks: Chunk[] = rawChunks.map(([articleIndex, ordinal, start, end, flat]) => {
    const articleId = articles[articleIndex]!.id;
    const sentences = [];
    for (let i = 0; i < flat.length; i += 2) sentences.push({ start: flat[i]!, end: flat[i + 1]! });
    return { id: `${articleId}#${ordinal}`, articleId, ordinal, start, end, sentences };
  });
  // The term dictionaries and the vocabulary are parsed a slice at a time (`load`, not `fromFiles`
  // / `fromJSON`): this runs on the thread that answers readers, after every build.
  const readLexical = async (header: string, postings: string) =>
    LexicalIndex.load({ header: await fs.readFile(file(header), "utf8"), postings: await fs.readFile(file(postings)) });
  const lexical = await readLexical(FILES.lexical, FILES.postings);
  const articleLexical = await readLexical(FILES.articleLexical, FILES.articlePostings);
  const vocabulary = await Vocabulary.load(await fs.readFile(file(FILES.vocabulary), "utf8"));
  const vectors =
    wanted && manifest.model
      ? await VectorIndex.read(file(FILES.hnsw), manifest.model.dimensions, manifest.hnsw)
      : null;
  return new CorpusIndex(manifest, articles, chunks, lexical, articleLexical, vocabulary, vectors, version);
}

/**
 * The stored vectors of the version in service, by chunk id, for reuse by an incremental build.
 * Empty when there are none or they came from another model.
 */
export async function readStoredVectors(dir: string, modelId: string, dimensions: number): Promise<Map<string, Float32Array>> {
  const version = await currentVersion(dir);
  const manifest = version
    ? await fs.readFile(path.join(version, FILES.manifest), "utf8").then((text) => JSON.parse(text) as Manifest, () => null)
    : null;
  if (!version || !manifest?.model || manifest.model.id !== modelId || manifest.model.dimensions !== dimensions) {
    return new Map();
  }
  const articles = await readJsonLines<Article>(path.join(version, FILES.articles));
  const rawChunks = JSON.parse(await fs.readFile(path.join(version, FILES.chunks), "utf8")) as Array<[number, number]>;
  const bytes = await fs.readFile(path.join(version, FILES.vectors));
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const byChunk = new Map<string, Float32Array>();
  rawChunks.forEach(([articleIndex, ordinal], i) => {
    byChunk.set(`${articles[articleIndex]!.id}#${ordinal}`, data.subarray(i * dimensions, (i + 1) * dimensions));
  });
  return byChunk;
}

async function readJsonLines<T>(file: string): Promise<T[]> {
  const rows: T[] = [];
  const lines = readline.createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) if (line) rows.push(JSON.parse(line) as T);
  return rows;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const handle = await fs.open(temp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const handle = await fs.open(path.join(dir, name), "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * Removes every version folder but those named in `keep`: the new version and the one that served
 * before it. Not "the newest but one": a version renamed into place by a build killed before it
 * switched CURRENT is newer than the previous one but never served, and must not displace it.
 */
async function removeOldVersions(dir: string, keep: Array<string | null>): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const old = entries.filter((e) => e.isDirectory() && e.name.startsWith("v-") && !keep.includes(e.name)).map((e) => e.name);
  await Promise.all(old.map((name) => fs.rm(path.join(dir, name), { recursive: true, force: true })));
}
