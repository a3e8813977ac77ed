/**
 * The search thread (see `SearchThread`): opens the versions it is sent, each as two
 * `SegmentedLexical`s over its segments' passage and article indexes (a segment shared by versions
 * is read once), and answers searches in the order they come.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ARTICLE_BM25, PASSAGE_BM25, type LexicalIndex } from "./lexical";
import { PostingsCache } from "./postings-cache";
import type { FromSearchWorker, ThreadSegment, ToSearchWorker } from "./search-thread";
import { readSegmentLexical } from "./segment";
import { SegmentedLexical } from "./segmented-lexical";

const port = parentPort!;
/** This thread's own postings cache (`THREAD_CACHE_BYTES`). */
const cache = new PostingsCache((workerData as { cacheBytes: number }).cacheBytes);

interface SegmentIndexes {
  passages: LexicalIndex;
  articles: LexicalIndex;
}
/** Each segment's indexes by its name, with the number of open versions that use them. */
const segmentIndexes = new Map<string, { indexes: Promise<SegmentIndexes>; users: number }>();
/** Open versions by key; `lexical` is null while their files are read. */
const versions = new Map<number, { segments: string[]; lexical: { passages: SegmentedLexical; articles: SegmentedLexical } | null }>();

const post = (message: FromSearchWorker) => port.postMessage(message);

port.on("message", (message: ToSearchWorker) => {
  if (message.type === "open") void open(message.key, message.segments);
  else if (message.type === "close") close(message.key);
  else {
    const lexical = versions.get(message.key)?.lexical ?? null;
    try {
      const { queries, articleLimit, passageRange, passageLimit } = message;
      const hits = lexical && {
        articles: lexical.articles.search(queries, undefined, articleLimit, ARTICLE_BM25),
        passages: lexical.passages.search(queries, undefined, passageLimit, PASSAGE_BM25, passageRange),
      };
      post({ type: "hits", id: message.id, hits });
    } catch (error) {
      post({ type: "hits", id: message.id, hits: null, error: String(error) });
    }
  }
});

/** A segment's two indexes, read as `loadIndex` reads them, into this thread's cache. */
async function read(segment: ThreadSegment): Promise<SegmentIndexes> {
  const { lexical, articleLexical } = await readSegmentLexical(segment.folder, { cache });
  return { passages: lexical, articles: articleLexical };
}

async function open(key: number, segments: ThreadSegment[]): Promise<void> {
  const version = { segments: segments.map((s) => s.name), lexical: null as { passages: SegmentedLexical; articles: SegmentedLexical } | null };
  versions.set(key, version);
  for (const segment of segments) {
    const held = segmentIndexes.get(segment.name) ?? { indexes: read(segment), users: 0 };
    held.users++;
    segmentIndexes.set(segment.name, held);
  }
  try {
    const indexes = await Promise.all(version.segments.map((name) => segmentIndexes.get(name)!.indexes));
    if (versions.get(key) !== version) return; // closed meanwhile (the answering thread no longer waits)
    const over = (kind: "passages" | "articles") =>
      new SegmentedLexical(segments.map((segment, i) => ({ index: indexes[i]![kind], dead: segment[kind].dead, deadDf: segment[kind].deadDf })));
    version.lexical = { passages: over("passages"), articles: over("articles") };
    post({ type: "opened", key });
  } catch (error) {
    close(key);
    post({ type: "opened", key, error: String(error) });
  }
}

function close(key: number): void {
  const version = versions.get(key);
  if (!version) return;
  versions.delete(key);
  for (const name of version.segments) {
    const held = segmentIndexes.get(name)!;
    if (--held.users === 0) segmentIndexes.delete(name);
  }
}
