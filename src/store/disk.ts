import fs from "node:fs/promises";
import path from "node:path";
import { IndexError } from "../domain/errors";
import type { Article } from "../domain/types";
import { CorpusIndex } from "./corpus-index";
import { FORMAT_VERSION, manifestChunks, parseBuildManifest, parseManifestHead, VECTOR_FORMATS, type BuildManifest, type Manifest, type ManifestHead } from "./manifest";
import { readSegmentCatalog, readSegmentIds, readSegmentIndexes, readSegmentVectors, segmentName, writeSegment, type BuiltSegment, type Segment } from "./segment";
import { mergeSegments } from "./segment-merge";
import type { Tombstones } from "./tombstones";
import { StoredVectors } from "./stored-vectors";
import { VectorIndex } from "./vector-index";

/**
 * On-disk layout of `embeddings/` (see README, "On-disk format"):
 *
 *   CURRENT                 the name of the version in service (replaced atomically by rename)
 *   v-<time>-<rand>/        one complete, immutable version
 *     manifest.json         format version, model, HNSW parameters, counts, content hashes, segments
 *     tombstones.json       per segment, the positions of its articles deleted or replaced since;
 *                           the vocabulary counts of their passages
 *     hnsw.bin              hnswlib graph over every segment's vectors, labels = passage slots
 *                           (only with a model)
 *     s-<time>-<rand>/      a segment, base first (segment.ts): written once, then hard-linked
 *       ids.json            article ids in order
 *       articles.jsonl      one Article per line; a loaded index reads an article's line (its body
 *                           and captions) only when asked for it (stored-article.ts)
 *       catalog.json        per article what listings need (title, date, url, source, hash…) and
 *                           the byte range of its line in articles.jsonl
 *       chunks.bin          per chunk its article, ordinal, start, end and sentence spans, as
 *                           columns in a binary file (chunk-table.ts); Chunk objects made on demand
 *       lexical.bin         BM25 over the passages, one binary file (binary-file.ts: 8-byte aligned
 *                           typed-array sections, viewed in place at load): the sorted term
 *                           dictionary, the folded forms with their spellings, postings offsets,
 *                           passage lengths and lead flags, passage ids and weighted tfs (lexical.ts);
 *                           the postings (last) are read per term when a search asks (postings-source.ts)
 *       articles-lexical.bin  the same over whole articles (article-level ranking)
 *       vocabulary.bin      accented spellings and document frequencies, the same kind of
 *                           binary file: sorted spellings, folded syllables and pairs (vocabulary-file.ts)
 *       vectors.f32         raw little-endian float32, chunks × dimensions (only with a model)
 *
 * A full build writes its articles as segments of at most `SEGMENT_ARTICLES` (build.ts), one at
 * a time: the next is built once the previous is on disk; then merges them into one segment, file
 * by file, in bounded memory (segment-merge.ts), before the manifest. An incremental one (a few articles
 * added, changed, deleted) hard-links (`fs.link`) every file of the previous version's segments
 * into the new version folder, writes one small segment with the new and changed articles, and tombstones the articles
 * deleted or replaced; searches run over all segments with the statistics of the live articles
 * (corpus-index.ts). Segment files are never rewritten, only linked: the previous version's files
 * stay as they were, whatever happens to the new one. When the segments besides the base (the
 * last full build's), or the tombstoned passages, grow past a share of the index (build.ts), the
 * next build merges: a full build again (vectors reused, never re-embedded).
 *
 * A save writes a new version folder under a temporary name (`.v-….tmp`), renames it when every
 * file is on disk, then points CURRENT at it (via `CURRENT.<pid>.tmp`). A crash at any point leaves
 * CURRENT naming the old, complete version. After the switch the versions are pruned to two: the
 * new one and the one CURRENT named before it (the version that served last, kept to go back to);
 * a pruned version's segment files live on in the versions that link them.
 * A failed save removes what it wrote; what a killed one leaves (a staging folder, a temporary
 * CURRENT) is removed by `sweepLeftovers` when the next build starts (`buildIndex`, under the lock).
 */
const CURRENT = "CURRENT";
const FILES = {
  manifest: "manifest.json",
  tombstones: "tombstones.json",
  hnsw: "hnsw.bin",
} as const;

/** A segment to write, with its vectors (chunks × dimensions) when there is a model. */
export interface FreshSegment {
  segment: BuiltSegment;
  vectors: Float32Array | null;
}

/** What a save is made of. */
export interface VersionContents {
  /** Segments of the version in service kept as they are: their folders, hard-linked, in order. */
  linked: string[];
  /**
   * The new segments (after the linked ones), written one at a time as they come: a build that
   * writes several builds the next only once the previous is on disk, and no longer holds it.
   */
  fresh: Iterable<FreshSegment> | AsyncIterable<FreshSegment>;
  tombstones: Tombstones;
  /** Merge the new segments, once written, into one (a full build's, with no linked ones: see segment-merge.ts). */
  merge?: boolean;
  /**
   * Asked for once every new segment is written (they describe them): the manifest, and the graph
   * over every segment's vectors (labels: passage slots) or null without a model. `merged`: the
   * name of the one segment the new ones were merged into, if they were.
   */
  seal: (merged: string | null) => { manifest: BuildManifest; hnsw: VectorIndex | null };
}

export interface SaveOptions {
  /**
   * Called before each file is written (a segment file by its own name, `tombstones.json`,
   * `hnsw.bin`, `manifest.json`) and before each linked segment (`link <segment>`): the injection
   * point for crash tests.
   */
  onStep?: (file: string) => void | Promise<void>;
}

/** Writes a new version and switches CURRENT to it. Returns the version folder. */
export async function saveIndex(dir: string, contents: VersionContents, options: SaveOptions = {}): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const name = `v-${new Date().toISOString().replace(/[:.]/g, "")}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = path.join(dir, `.${name}.tmp`);
  const final = path.join(dir, name);
  // What is on disk and not in service yet: removed if the save fails before the switch.
  let unserved = staging;
  await fs.mkdir(staging);
  let previous: string | null;
  try {
    const step = async (target: string, write: (file: string) => Promise<void>) => {
      await options.onStep?.(path.basename(target));
      await write(target);
    };
    for (const from of contents.linked) {
      const to = path.join(staging, path.basename(from));
      await options.onStep?.(`link ${path.basename(from)}`);
      await fs.mkdir(to);
      for (const file of await fs.readdir(from)) await fs.link(path.join(from, file), path.join(to, file));
    }
    const written: string[] = [];
    for await (const { segment, vectors } of contents.fresh) {
      const folder = path.join(staging, segment.name);
      await fs.mkdir(folder);
      await writeSegment(folder, segment, vectors, (file, write) => step(path.join(folder, file), write));
      written.push(folder);
    }
    let merged: string | null = null;
    if (contents.merge && written.length > 1) {
      if (contents.linked.length > 0) throw new TypeError("only a full build's segments are merged: there are linked ones");
      merged = segmentName(new Date().toISOString());
      const into = path.join(staging, merged);
      await fs.mkdir(into);
      await mergeSegments(written, into, async (target, write) => {
        await options.onStep?.(`merge ${path.basename(target)}`);
        await write(target);
      });
      await Promise.all(written.map((folder) => fs.rm(folder, { recursive: true })));
    }
    await step(path.join(staging, FILES.tombstones), (f) => fs.writeFile(f, JSON.stringify(contents.tombstones)));
    const { manifest, hnsw } = contents.seal(merged);
    if (hnsw) await step(path.join(staging, FILES.hnsw), (f) => hnsw.write(f));
    // The manifest goes last: a folder with a manifest is a complete folder.
    await step(path.join(staging, FILES.manifest), (f) => writeChunks(f, manifestChunks(manifest)));
    await fsyncTree(staging);
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

/** Writes a text given in pieces, one after the other (none of them, nor the whole, copied into one buffer). */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const handle = await fs.open(file, "w");
  try {
    for (const chunk of chunks) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

/** Reads only the manifest of the version in service (null when there is none). */
export async function readManifest(dir: string): Promise<Manifest | null> {
  const text = await manifestTextOf(dir);
  return text === null ? null : (JSON.parse(text) as Manifest);
}

/** `readManifest` as a build reads it: the hashes in a Map (`BuildManifest`). */
export async function readBuildManifest(dir: string): Promise<BuildManifest | null> {
  const text = await manifestTextOf(dir);
  return text === null ? null : parseBuildManifest(text);
}

/** `readManifest` without the content hashes (`ManifestHead`), which are skipped unread. */
export async function readManifestHead(dir: string): Promise<ManifestHead | null> {
  const text = await manifestTextOf(dir);
  return text === null ? null : parseManifestHead(text);
}

/** The text of the manifest of the version in service (null when there is none). */
async function manifestTextOf(dir: string): Promise<string | null> {
  const version = await currentVersion(dir);
  return version ? manifestTextIn(version) : null;
}

/** The text of a version folder's manifest. */
function manifestTextIn(version: string): Promise<string> {
  return fs.readFile(path.join(version, FILES.manifest), "utf8");
}

export interface LoadOptions {
  /**
   * The model the caller will embed queries with (id and dimensions), or null when it has none.
   * An index whose vectors came from another model is refused; with null the vectors are not loaded.
   */
  model: { id: string; dimensions: number } | null;
  /**
   * The index in service: the segments the new version shares with it are taken from it, not read
   * again (segments never change), so loading a version that added one small segment reads only that.
   */
  previous?: CorpusIndex | null;
}

/**
 * Loads the version in service.
 * @throws IndexError when there is none, it is of another format, or its vectors came from another model.
 */
export async function loadIndex(dir: string, options: LoadOptions): Promise<CorpusIndex> {
  const version = await currentVersion(dir);
  if (!version) throw new IndexError(`no index in ${dir}`, "run `npm run ingest` to build it");
  // All but the per-article content hashes: a loaded index never compares them (a build reads them itself).
  let manifest: ManifestHead;
  try {
    manifest = parseManifestHead(await manifestTextIn(version));
  } catch (error) {
    throw new IndexError(`${version} has no readable manifest (${(error as Error).message})`);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    const message = `${dir} is in index format ${manifest.formatVersion}, this version of the bot reads format ${FORMAT_VERSION}`;
    // An index whose vectors a build reuses is rebuilt without embedding anything again: not with --rebuild, which starts afresh.
    throw VECTOR_FORMATS.has(manifest.formatVersion) && manifest.model
      ? new IndexError(message, "run `npm run ingest` to rebuild it (the passages' vectors it holds are reused, not embedded again)")
      : new IndexError(message);
  }
  const wanted = options.model;
  if (wanted && manifest.model && (manifest.model.id !== wanted.id || manifest.model.dimensions !== wanted.dimensions)) {
    throw new IndexError(
      `${dir} was built with model ${manifest.model.id} (${manifest.model.dimensions} dims) but the config names ${wanted.id} (${wanted.dimensions} dims)`,
    );
  }

  try {
    return await readVersion(version, manifest, wanted, options.previous ?? null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IndexError(`${version} is incomplete (${path.basename((error as NodeJS.ErrnoException).path ?? "a file")} is missing)`);
    }
    throw error;
  }
}

async function readVersion(version: string, manifest: ManifestHead, wanted: LoadOptions["model"], previous: CorpusIndex | null): Promise<CorpusIndex> {
  const tombstones = await readTombstones(version);
  const reusable = new Map((previous?.segments ?? []).map((segment) => [segment.name, segment]));
  const folders = manifest.segments.filter(({ name }) => !reusable.has(name)).map(({ name }) => path.join(version, name));
  // Every segment's binary files first, then every catalog (see SEGMENTS_READ_AT_ONCE).
  const indexes = await inOrder(folders, SEGMENTS_READ_AT_ONCE, readSegmentIndexes);
  const articles: Article[][] = [];
  for (const folder of folders) articles.push(await readSegmentCatalog(folder));
  const read = new Map(folders.map((folder, i) => [path.basename(folder), { articles: articles[i]!, ...indexes[i]! }]));
  const segments = manifest.segments.map(({ name }): Segment => reusable.get(name) ?? { name, ...read.get(name)! });
  const vectors =
    wanted && manifest.model
      ? await VectorIndex.read(path.join(version, FILES.hnsw), manifest.model.dimensions, manifest.hnsw)
      : null;
  const stored = vectors ? StoredVectors.open(version, manifest.segments.map(({ name }) => name), vectors.dimensions) : null;
  return CorpusIndex.assemble(manifest, segments, tombstones, vectors, stored, version, previous);
}

/**
 * How many segments' binary files a load reads at once. Those reads are most of a load's bytes
 * (at 200,000 articles ~1 GB: the ~660 MB kept, the article indexes' dictionaries compared) and
 * run on libuv's threads, the main thread waiting: a few at a time use both cores of the machine
 * measured on. They are read before any catalog: a catalog is ~3.5 MiB of heap per 5,000 articles
 * (titles, urls, hashes), and each ~64 MiB of array buffers read makes V8 collect ("external
 * memory pressure"), which is cheap over a small heap; read segment by segment, every such
 * collection marked the catalogs read so far again (README, "Scale").
 */
const SEGMENTS_READ_AT_ONCE = 3;

/** `read` of every item, at most `limit` at a time, the results in the items' order; the first failure rejects. */
async function inOrder<T, R>(items: readonly T[], limit: number, read: (item: T) => R | Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await read(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The tombstones of a version (none for a version without the file: there is never one without it). */
export async function readTombstones(version: string): Promise<Tombstones> {
  return JSON.parse(await fs.readFile(path.join(version, FILES.tombstones), "utf8")) as Tombstones;
}

/** The HNSW graph of a version, to add to (an incremental build). */
export async function readGraph(version: string, manifest: ManifestHead): Promise<VectorIndex> {
  return VectorIndex.read(path.join(version, FILES.hnsw), manifest.model!.dimensions, manifest.hnsw);
}

/**
 * The stored vectors of the version in service, by chunk id, for reuse by a build (only live
 * chunks: a replaced article's old passages may share ids with its new ones).
 * Empty when there are none or they came from another model.
 */
export async function readStoredVectors(dir: string, modelId: string, dimensions: number): Promise<Map<string, Float32Array>> {
  const version = await currentVersion(dir);
  const manifest = version
    ? await manifestTextIn(version).then(parseManifestHead, () => null)
    : null;
  if (!version || !manifest || !VECTOR_FORMATS.has(manifest.formatVersion) || !manifest.model || manifest.model.id !== modelId || manifest.model.dimensions !== dimensions) {
    return new Map();
  }
  const tombstones = await readTombstones(version);
  const byChunk = new Map<string, Float32Array>();
  for (const { name } of manifest.segments) {
    const folder = path.join(version, name);
    const ids = await readSegmentIds(folder);
    const dead = new Set((tombstones.articles[name] ?? []).map((p) => ids[p]!));
    const { chunkIds, data } = await readSegmentVectors(folder, ids, dimensions, manifest.formatVersion);
    chunkIds.forEach((id, i) => {
      if (!dead.has(id.slice(0, id.lastIndexOf("#")))) byChunk.set(id, data.subarray(i * dimensions, (i + 1) * dimensions));
    });
  }
  return byChunk;
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

/** Flushes every file under `dir` (linked ones too: cheap when already on disk). */
async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      await fsyncTree(path.join(dir, entry.name));
      continue;
    }
    const handle = await fs.open(path.join(dir, entry.name), "r");
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
