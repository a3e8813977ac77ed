/**
 * The article search thread (see `ArticleSearchThread`): opens the versions it is sent, each as a
 * `SegmentedLexical` over its segments' article indexes (a segment shared by versions is read
 * once), and answers searches in the order they come.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { FromSearchWorker, ThreadSegment, ToSearchWorker } from "./article-search-thread";
import { LexicalIndex } from "./lexical";
import { PostingsCache } from "./postings-cache";
import { SegmentedLexical } from "./segmented-lexical";

const port = parentPort!;
/** This thread's own postings cache (`THREAD_CACHE_BYTES`). */
const cache = new PostingsCache((workerData as { cacheBytes: number }).cacheBytes);
/** Article indexes by segment name, with the number of open versions that use each. */
const segmentIndexes = new Map<string, { index: Promise<LexicalIndex>; users: number }>();
/** Open versions by key; `lexical` is null while their files are read. */
const versions = new Map<number, { segments: string[]; lexical: SegmentedLexical | null }>();

const post = (message: FromSearchWorker) => port.postMessage(message);

port.on("message", (message: ToSearchWorker) => {
  if (message.type === "open") void open(message.key, message.segments);
  else if (message.type === "close") close(message.key);
  else {
    const lexical = versions.get(message.key)?.lexical ?? null;
    try {
      post({ type: "hits", id: message.id, hits: lexical && lexical.search(message.queries, undefined, message.limit, message.params) });
    } catch (error) {
      post({ type: "hits", id: message.id, hits: null, error: String(error) });
    }
  }
});

async function open(key: number, segments: ThreadSegment[]): Promise<void> {
  const version = { segments: segments.map((s) => s.name), lexical: null as SegmentedLexical | null };
  versions.set(key, version);
  for (const { name, file } of segments) {
    const held = segmentIndexes.get(name) ?? { index: LexicalIndex.read(file, { cache }), users: 0 };
    held.users++;
    segmentIndexes.set(name, held);
  }
  try {
    const indexes = await Promise.all(version.segments.map((name) => segmentIndexes.get(name)!.index));
    if (versions.get(key) !== version) return; // closed meanwhile (the answering thread no longer waits)
    version.lexical = new SegmentedLexical(segments.map(({ dead, deadDf }, i) => ({ index: indexes[i]!, dead, deadDf })));
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
