import type { ChunkOptions } from "../chunk";
import type { HnswParams } from "./vector-index";

/**
 * Bumped whenever the on-disk layout or the spelling of index terms changes (3: one spelling for
 * hoà/hòa and kĩ/kỹ; 4: a version is segments plus tombstones; 5: binary lexical indexes with
 * sorted term dictionaries); an index of another version is refused.
 */
export const FORMAT_VERSION = 5;

/**
 * The formats whose vectors a build reuses (same model and chunking): a format change that leaves
 * the passages and what was embedded as they were costs a re-index, not a re-embedding.
 */
export const VECTOR_FORMATS: ReadonlySet<number> = new Set([4, 5]);

/** One segment of a version, in order: the passages of segment i come after those of segment i − 1. */
export interface SegmentEntry {
  /** Its folder inside the version folder. */
  name: string;
  articles: number;
  chunks: number;
  /** Of those, tombstoned (deleted or replaced since the segment was written). */
  deadArticles: number;
  deadChunks: number;
}

/** The embedding model an index's vectors came from; vectors of two models never mix. */
export interface ModelStamp {
  id: string;
  dtype: string;
  dimensions: number;
  queryPrefix: string;
  passagePrefix: string;
}

/** `embeddings/<version>/manifest.json`: everything needed to trust and use the files beside it. */
export interface Manifest {
  formatVersion: number;
  /** ISO time the build finished. */
  builtAt: string;
  buildMs: number;
  /** `null` when the index was built without dense vectors (no model could be loaded). */
  model: ModelStamp | null;
  /** Why there are no vectors, when `model` is null. */
  denseOffReason: string | null;
  hnsw: HnswParams & { space: "cosine" };
  chunking: ChunkOptions;
  /** Live articles and passages. */
  counts: { articles: number; chunks: number };
  /** The segments, base first (see disk.ts). */
  segments: SegmentEntry[];
  /**
   * How many of the first segments the last full build wrote (it writes its articles as several:
   * build.ts, `SEGMENT_ARTICLES`); the merge policy weighs the segments after them. Absent in an
   * index written before full builds were split: 1.
   */
  baseSegments?: number;
  /** Article id → content hash: what an incremental run compares against. */
  articles: Record<string, string>;
}

/**
 * A manifest as a loaded index keeps it: all but the per-article content hashes, which only a
 * build compares (it reads the whole manifest itself: `readManifest`). At 200,000 articles those
 * hashes are 19 of the manifest's 19 MB, and parsed they were 0.4 s of the load and ~60 MiB of heap.
 */
export type ManifestHead = Omit<Manifest, "articles">;

/**
 * A manifest's text parsed but its top-level `articles` member, whose value is skipped unread:
 * strings are jumped over (`indexOf` of their closing quote), only the brackets between them are
 * counted (0.04 s instead of 0.45 s at 200,000 articles). The rest goes to `JSON.parse`. The
 * skipped value must be closed (a file cut short is refused); what it holds is not checked here,
 * but by the build that reads it (`parseBuildManifest`).
 * @throws SyntaxError when the text is not a JSON object
 * @example parseManifestHead(await fs.readFile("v-…/manifest.json", "utf8")).segments
 */
export function parseManifestHead(text: string): ManifestHead {
  return headOf(text, topLevelValue(text, "articles"));
}

/** The manifest's text parsed but the value of its `articles` member, which stands at `span` (null: it has none). */
function headOf(text: string, span: { start: number; end: number } | null): ManifestHead {
  const head = JSON.parse(span ? `${text.slice(0, span.start)}{}${text.slice(span.end)}` : text) as Partial<Manifest>;
  delete head.articles;
  return head as ManifestHead;
}

/**
 * A manifest as a build holds it: the content hashes in a Map. Parsed into an object, the hashes of
 * 200,000 articles took ~100 MiB of the build worker's memory on every /add (V8 keeps an object
 * of that many members as a dictionary, and `JSON.parse` makes it through a larger transient);
 * read into a Map of slices of the file's text, ~20 MiB.
 */
export interface BuildManifest extends ManifestHead {
  /** Article id → content hash, in the order written. */
  articles: Map<string, string>;
}

/**
 * A manifest's text, its hashes read into a Map (see `BuildManifest`).
 * @throws SyntaxError when the text is not a JSON object, or its `articles` not an object of strings
 */
export function parseBuildManifest(text: string): BuildManifest {
  const span = topLevelValue(text, "articles");
  return { ...headOf(text, span), articles: span ? hashesIn(text, span.start) : new Map() };
}

/** The text of a manifest, as `JSON.stringify(manifest, null, 2)` writes it (the hashes last): `manifestChunks` joined. */
export function manifestText(manifest: BuildManifest): string {
  return [...manifestChunks(manifest)].join("");
}

/**
 * The text of a manifest in pieces of at most `MEMBERS_PER_CHUNK` hashes, to be written one after
 * the other: the 19 MB text of 200,000 hashes made whole, then copied into a buffer to be written,
 * was ~80 MiB at the peak of every /add; a piece is ~0.2 MB.
 */
export function* manifestChunks(manifest: BuildManifest): Generator<string> {
  const { articles, ...head } = manifest;
  // The head always has members, so its text ends with "\n}".
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "articles": {`;
  let members: string[] = [];
  let first = true;
  for (const [id, hash] of articles) {
    members.push(`    ${JSON.stringify(id)}: ${JSON.stringify(hash)}`);
    if (members.length === MEMBERS_PER_CHUNK) {
      yield `${first ? "\n" : ",\n"}${members.join(",\n")}`;
      [members, first] = [[], false];
    }
  }
  if (members.length > 0) yield `${first ? "\n" : ",\n"}${members.join(",\n")}`;
  yield articles.size > 0 ? "\n  }\n}" : "}\n}";
}

const MEMBERS_PER_CHUNK = 4096;

/** The members of the object of strings whose opening brace is at `at`, each key and value a slice of `text` (parsed only when it holds an escape). */
function hashesIn(text: string, at: number): Map<string, string> {
  const hashes = new Map<string, string>();
  const fail = (i: number): never => {
    throw new SyntaxError(`manifest: "articles" is not an object of strings (at character ${i})`);
  };
  const string = (i: number): [string, number] => {
    if (text.charCodeAt(i) !== QUOTE) fail(i);
    const end = stringEnd(text, i);
    if (end < 0) fail(i);
    const raw = text.slice(i + 1, end - 1);
    return [raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw, end];
  };
  if (text.charCodeAt(at) !== OPEN_BRACE) fail(at);
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return hashes;
  for (;;) {
    const [id, keyEnd] = string(i);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) fail(i);
    const [hash, valueEnd] = string(skipSpace(text, i + 1));
    hashes.set(id, hash);
    i = skipSpace(text, valueEnd);
    if (text.charCodeAt(i) === CLOSE_BRACE) return hashes;
    if (text.charCodeAt(i) !== COMMA) fail(i);
    i = skipSpace(text, i + 1);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Where the value of a top-level member of the JSON object in `text` lies ([start, end) in
 * UTF-16 units), or null when it has no such member (the last one when it has several, as
 * `JSON.parse` keeps). Malformed text gives some span or null: the caller's `JSON.parse` refuses it.
 */
function topLevelValue(text: string, key: string): { start: number; end: number } | null {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return null;
  let found: { start: number; end: number } | null = null;
  i = skipSpace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return null;
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return null;
    const start = skipSpace(text, i + 1);
    const end = valueEnd(text, start);
    if (end < 0) return null;
    if (name === key) found = { start, end };
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) break;
    i = skipSpace(text, i + 1);
  }
  return found;
}

/** The end of the string whose opening quote is at `at` (just past its closing quote), −1 when it is not closed. */
function stringEnd(text: string, at: number): number {
  let close = text.indexOf('"', at + 1);
  while (close >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/** The end of the value starting at `at`: a string, an object or array (however nested), or a number or literal; −1 when cut short. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = at;
    while (i < text.length && !isSpace(text.charCodeAt(i)) && !isEndOfMember(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

const isEndOfMember = (c: number) => c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;
/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipSpace(text: string, at: number): number {
  let i = at;
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}
