import path from "node:path";
import type { Article, Chunk, Span } from "../domain/types";
import type { SearchThread } from "./search-thread";
import { ARTICLE_BM25, PASSAGE_BM25, type LexicalHit, type TermQuery } from "./lexical";
import type { ManifestHead } from "./manifest";
import type { Segment } from "./segment";
import { mergeHits, SegmentedLexical } from "./segmented-lexical";
import type { Tombstones } from "./tombstones";
import type { StoredVectors } from "./stored-vectors";
import type { VectorHit, VectorIndex } from "./vector-index";
import { Vocabulary } from "./vocabulary";

/** A segment as this version sees it: which of its articles and passages are tombstoned, and what they weigh. */
interface SegmentView {
  segment: Segment;
  /** Tombstoned article positions (local), ascending; what decides whether a view can be reused. */
  deadArticles: readonly number[];
  articleDead: Uint8Array | null;
  chunkDead: Uint8Array | null;
  passageDeadDf: Uint32Array | null;
  articleDeadDf: Uint32Array | null;
}

/**
 * A loaded index: the live articles, their chunks and the search structures over them. Chunk
 * positions (`0 … chunkCount-1`) are what every search returns and every filter is given;
 * article positions are positions in `articles`.
 *
 * Underneath, a version is segments (see disk.ts): each holds its own articles, chunks and
 * indexes, and some of its articles may be tombstoned. Searches run over every segment with the
 * statistics of the live set (`SegmentedLexical`) in "slot" ids (segment base + local id, dead
 * ones included; also the HNSW labels), mapped to live positions on the way out. Live positions
 * follow slot order, so ties keep their order.
 *
 * Chunks are not held as objects: a position maps to its slot, the slot to its segment's chunk
 * table, and `chunk(position)` makes the object when asked (a question asks for a few hundred).
 *
 * Immutable once built: an update builds a new `CorpusIndex` and the service swaps the
 * reference, so a question is always answered from one consistent version. Segments are
 * immutable too, and shared with the next version's index (`assemble`'s `previous`).
 */
export class CorpusIndex {
  readonly articles: Article[];
  /** Article id → live article position. */
  private readonly byId: Map<string, number>;
  /** Slot → live chunk / article position, −1 for a tombstoned one. */
  private readonly chunkLive: Int32Array;
  private readonly articleLive: Int32Array;
  /** Live position → slot. */
  private readonly chunkSlot: Uint32Array;
  private readonly articleSlot: Uint32Array;
  /** Per view, the slots of its first chunk and first article (one more entry: the totals). */
  private readonly chunkBase: number[];
  private readonly articleBase: number[];
  private readonly lexical: SegmentedLexical;
  private readonly articleLexical: SegmentedLexical;
  /** The search thread `searchBoth` uses (`searchOn`), and this index's key there. */
  private thread: { thread: SearchThread; key: number } | null = null;
  private static nextThreadKey = 0;

  private constructor(
    /** Without the per-article content hashes (`ManifestHead`). */
    readonly manifest: ManifestHead,
    private readonly views: SegmentView[],
    readonly vocabulary: Vocabulary,
    /** `null` when the index has no vectors. */
    readonly vectors: VectorIndex | null,
    /** The same vectors as written, per segment (`cosineTo`); null with `vectors`. */
    private readonly storedVectors: StoredVectors | null,
    /** The directory it was loaded from or saved to, if any. */
    readonly location: string | null,
  ) {
    this.articles = [];
    this.chunkBase = [0];
    this.articleBase = [0];
    for (const { segment } of views) {
      this.chunkBase.push(this.chunkBase.at(-1)! + segment.chunks.size);
      this.articleBase.push(this.articleBase.at(-1)! + segment.articles.length);
    }
    this.chunkLive = new Int32Array(this.chunkBase.at(-1)!);
    this.articleLive = new Int32Array(this.articleBase.at(-1)!);
    // Filled in place (no array of a million numbers to copy): at most every slot is live.
    const liveChunks = new Uint32Array(this.chunkLive.length);
    const liveArticles = new Uint32Array(this.articleLive.length);
    let chunks = 0;
    this.byId = new Map();
    views.forEach(({ segment, articleDead, chunkDead }, v) => {
      segment.articles.forEach((article, i) => {
        const slot = this.articleBase[v]! + i;
        if (articleDead?.[i] === 1) this.articleLive[slot] = -1;
        else {
          const position = this.articles.push(article) - 1;
          this.articleLive[slot] = position;
          liveArticles[position] = slot;
          this.byId.set(article.id, position);
        }
      });
      const base = this.chunkBase[v]!;
      const size = segment.chunks.size;
      for (let i = 0; i < size; i++) {
        if (chunkDead?.[i] === 1) this.chunkLive[base + i] = -1;
        else {
          this.chunkLive[base + i] = chunks;
          liveChunks[chunks++] = base + i;
        }
      }
    });
    this.chunkSlot = chunks === liveChunks.length ? liveChunks : liveChunks.slice(0, chunks);
    this.articleSlot = this.articles.length === liveArticles.length ? liveArticles : liveArticles.slice(0, this.articles.length);
    this.lexical = new SegmentedLexical(views.map((v) => ({ index: v.segment.lexical, dead: v.chunkDead, deadDf: v.passageDeadDf })));
    this.articleLexical = new SegmentedLexical(views.map((v) => ({ index: v.segment.articleLexical, dead: v.articleDead, deadDf: v.articleDeadDf })));
  }

  /**
   * The index of a version: its segments (base first), its tombstones, and the HNSW graph over
   * every segment's chunks (labels: slots). `previous`, the index in service, lends the views of
   * the segments both share when their tombstones are the same (nothing to recount); the
   * segments themselves are the caller's to reuse (see `loadIndex`).
   */
  static async assemble(
    manifest: ManifestHead,
    segments: Segment[],
    tombstones: Tombstones,
    vectors: VectorIndex | null,
    storedVectors: StoredVectors | null,
    location: string | null,
    previous: CorpusIndex | null = null,
  ): Promise<CorpusIndex> {
    const views: SegmentView[] = [];
    for (const segment of segments) {
      const deadArticles = tombstones.articles[segment.name] ?? [];
      const old = previous?.views.find((v) => v.segment === segment);
      if (old && old.deadArticles.length === deadArticles.length && old.deadArticles.every((p, i) => p === deadArticles[i])) {
        views.push(old);
        continue;
      }
      views.push(await viewOf(segment, deadArticles));
    }
    const vocabulary = Vocabulary.combine(
      views.map((v) => v.segment.vocabulary),
      tombstones.vocabulary,
    );
    return new CorpusIndex(manifest, views, vocabulary, vectors, storedVectors, location);
  }

  /** The segments, base first (shared with the indexes of later versions: immutable). */
  get segments(): Segment[] {
    return this.views.map((v) => v.segment);
  }

  /** The version name (folder) when it lives on disk; used to expire old buttons. */
  get version(): string {
    return this.manifest.builtAt;
  }

  article(id: string): Article | undefined {
    const position = this.byId.get(id);
    return position === undefined ? undefined : this.articles[position];
  }

  /** Live passages. */
  get chunkCount(): number {
    return this.chunkSlot.length;
  }

  /** The chunk at a live position, made from its segment's table. */
  chunk(position: number): Chunk {
    const { segment, local } = this.chunkAt(position);
    return segment.chunks.at(local, segment.articles[segment.chunks.articleOf(local)]!.id);
  }

  /**
   * The id of the article of the chunk at a live position: `chunk(position).articleId` without
   * making the chunk (search filters ask it of every candidate passage).
   */
  articleIdOf(position: number): string {
    const { segment, local } = this.chunkAt(position);
    return segment.articles[segment.chunks.articleOf(local)]!.id;
  }

  /** Where the chunk at a live position stands: its segment (and that segment's place, `view`), and its local id there. */
  private chunkAt(position: number): { view: number; segment: Segment; local: number } {
    const slot = this.chunkSlot[position];
    if (slot === undefined || !Number.isInteger(position)) throw new RangeError(`no chunk at position ${position}`);
    const v = viewAt(this.chunkBase, slot);
    return { view: v, segment: this.views[v]!.segment, local: slot - this.chunkBase[v]! };
  }

  chunkPositionsOf(articleId: string): number[] {
    const position = this.byId.get(articleId);
    if (position === undefined) return [];
    const slot = this.articleSlot[position]!;
    const v = viewAt(this.articleBase, slot);
    const { from, to } = this.views[v]!.segment.chunks.rangeOf(slot - this.articleBase[v]!);
    // A live article's chunks are all live, and consecutive in slot and position order.
    const first = this.chunkLive[this.chunkBase[v]! + from]!;
    return Array.from({ length: to - from }, (_, k) => first + k);
  }

  /** The sentences of an article's passages, each once (overlapping passages repeat some), in order. */
  sentencesOf(articleId: string): Span[] {
    const byStart = new Map<number, Span>();
    for (const position of this.chunkPositionsOf(articleId)) for (const span of this.chunk(position).sentences) byStart.set(span.start, span);
    return [...byStart.values()].sort((a, b) => a.start - b.start);
  }

  get hasVectors(): boolean {
    return this.vectors !== null;
  }

  /** Dense primitive: the nearest chunks to a query vector. Tombstoned ones are never returned. */
  searchVector(query: Float32Array, k: number, filter?: (position: number) => boolean): VectorHit[] {
    if (!this.vectors) return [];
    const live = this.chunkLive;
    const hits = this.vectors.search(query, Math.min(k, this.chunkCount), (label) => live[label]! >= 0 && (!filter || filter(live[label]!)));
    return hits.map((hit) => ({ id: live[hit.id]!, distance: hit.distance }));
  }

  /** The cosine similarity of a chunk's vector to a query vector; null when the index has no vectors. */
  cosineTo(query: Float32Array, position: number): number | null {
    if (!this.storedVectors) return null;
    const { view, local } = this.chunkAt(position);
    return this.storedVectors.cosine(query, view, local);
  }

  /** Lexical primitive: BM25 over the chunks. */
  searchLexical(queries: TermQuery[], filter?: (position: number) => boolean, limit?: number): LexicalHit[] {
    const live = this.chunkLive;
    return this.lexical.search(queries, filter && ((slot) => filter(live[slot]!)), limit).map((hit) => ({ ...hit, id: live[hit.id]! }));
  }

  /**
   * `searchLexical` confined to the passages of some articles: the same hits as with a filter that
   * allows only their passages, but only those passages are scored (see `SegmentedLexical.searchAmong`).
   */
  searchLexicalIn(queries: TermQuery[], articleIds: Iterable<string>, limit?: number): LexicalHit[] {
    const slots: number[] = [];
    for (const id of articleIds) for (const position of this.chunkPositionsOf(id)) slots.push(this.chunkSlot[position]!);
    const live = this.chunkLive;
    return this.lexical.searchAmong(queries, slots, limit).map((hit) => ({ ...hit, id: live[hit.id]! }));
  }

  /** BM25 over whole articles; hit ids are positions in `articles`. */
  searchArticles(queries: TermQuery[], filter?: (articleId: string) => boolean, limit?: number): LexicalHit[] {
    const live = this.articleLive;
    return this.articleLexical
      .search(queries, filter && ((slot) => filter(this.articles[live[slot]!]!.id)), limit, ARTICLE_BM25)
      .map((hit) => ({ ...hit, id: live[hit.id]! }));
  }

  /**
   * `searchLexical` and `searchArticles` for the same queries (a question's first step), on two
   * threads when this version is open on a search thread (`searchOn`) and neither search is
   * filtered: the thread searches whole articles and the passages of the last
   * `1 − PASSAGE_SHARE_HERE` of the ids while this one searches the others; the passages are the
   * best `passageLimit` of both shares (`mergeHits`). The same hits as in process, where both run
   * otherwise (the thread reads the same files with the same code).
   */
  async searchBoth(
    queries: TermQuery[],
    { passageFilter, passageLimit, articleFilter, articleLimit }: { passageFilter?: (position: number) => boolean; passageLimit: number; articleFilter?: (articleId: string) => boolean; articleLimit: number },
  ): Promise<{ passages: LexicalHit[]; articles: LexicalHit[] }> {
    const inProcess = () => ({ passages: this.searchLexical(queries, passageFilter, passageLimit), articles: this.searchArticles(queries, articleFilter, articleLimit) });
    if (!this.thread || passageFilter || articleFilter) return inProcess();
    const size = this.lexical.size;
    const split = Math.floor(size * PASSAGE_SHARE_HERE);
    const there = this.thread.thread.search(this.thread.key, { queries, articleLimit, passageRange: { from: split, to: size }, passageLimit });
    if (there === null) return inProcess();
    const here = this.lexical.search(queries, undefined, passageLimit, PASSAGE_BM25, { from: 0, to: split });
    const hits = (await there) ?? {
      passages: this.lexical.search(queries, undefined, passageLimit, PASSAGE_BM25, { from: split, to: size }),
      articles: this.articleLexical.search(queries, undefined, articleLimit, ARTICLE_BM25),
    };
    const [chunkLive, articleLive] = [this.chunkLive, this.articleLive];
    return {
      passages: mergeHits([here, hits.passages], passageLimit).map((hit) => ({ ...hit, id: chunkLive[hit.id]! })),
      articles: hits.articles.map((hit) => ({ ...hit, id: articleLive[hit.id]! })),
    };
  }

  /** Whether `searchBoth` runs on two threads now (the version is open on the search thread, and the thread usable). */
  get searchedOnTwoThreads(): boolean {
    return this.thread !== null && this.thread.thread.isOpen(this.thread.key);
  }

  /**
   * Opens this version on a search thread (`searchBoth` uses it once it is loaded there), or, with
   * null, closes it there. Resolves once it is open there, to false when it cannot be: it failed
   * to, or the index is not on disk. The thread reads each segment from this version's folder.
   */
  searchOn(thread: SearchThread | null): Promise<boolean> {
    if (this.thread) this.thread.thread.closeVersion(this.thread.key);
    this.thread = null;
    if (thread === null) return Promise.resolve(true);
    const location = this.location;
    if (location === null) return Promise.resolve(false);
    const segments = this.views.map((v) => ({
      name: v.segment.name,
      folder: path.join(location, v.segment.name),
      passages: { dead: v.chunkDead, deadDf: v.passageDeadDf },
      articles: { dead: v.articleDead, deadDf: v.articleDeadDf },
    }));
    this.thread = { thread, key: CorpusIndex.nextThreadKey++ };
    return thread.openVersion(this.thread.key, segments);
  }
}

/**
 * The share of the passage ids the answering thread searches when the search thread takes the
 * rest and the whole articles (`searchBoth`): more than half, as the article search is the thread's
 * too. At 200,000 articles, 400 questions, shares in turn, two rounds: mean ask 0.45 → 99.8 / 60.8
 * ms, 0.55 → 59.2 / 57.3, 0.65 → 55.4 / 50.1 (0.75: 61.9 against 0.65's 61.3 in another round);
 * the answering thread then waits 7 ms on average for the other's hits.
 */
const PASSAGE_SHARE_HERE = 0.65;

/** A segment's tombstones as flags (articles and their chunks) and their share of each term's frequency. */
async function viewOf(segment: Segment, deadArticles: readonly number[]): Promise<SegmentView> {
  if (deadArticles.length === 0) return { segment, deadArticles, articleDead: null, chunkDead: null, passageDeadDf: null, articleDeadDf: null };
  const articleDead = new Uint8Array(segment.articles.length);
  for (const p of deadArticles) articleDead[p] = 1;
  const chunkDead = new Uint8Array(segment.chunks.size);
  for (let i = 0; i < chunkDead.length; i++) chunkDead[i] = articleDead[segment.chunks.articleOf(i)]!;
  return {
    segment,
    deadArticles,
    articleDead,
    chunkDead,
    passageDeadDf: await segment.lexical.deadFrequencies(chunkDead),
    articleDeadDf: await segment.articleLexical.deadFrequencies(articleDead),
  };
}

/** The view whose slots hold `slot`, given the views' first slots (ascending, with the total last). */
function viewAt(bases: number[], slot: number): number {
  let lo = 0;
  let hi = bases.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bases[mid]! <= slot) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
