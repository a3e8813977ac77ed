import type { Article, Chunk, Span } from "../domain/types";
import { ARTICLE_BM25, type LexicalHit, type LexicalIndex, type TermQuery } from "./lexical";
import type { Manifest } from "./manifest";
import type { VectorHit, VectorIndex } from "./vector-index";
import type { Vocabulary } from "./vocabulary";

/**
 * A loaded index: the articles, their chunks and the two search structures over the chunks.
 * Chunk positions (`0 … chunks.length-1`) are the ids both structures use.
 *
 * Immutable once built: an update builds a new `CorpusIndex` and the service swaps the
 * reference, so a question is always answered from one consistent version.
 */
export class CorpusIndex {
  private readonly byId: Map<string, Article>;
  /** Chunk positions of each article, in order. */
  private readonly chunksOf: Map<string, number[]>;

  constructor(
    readonly manifest: Manifest,
    readonly articles: Article[],
    readonly chunks: Chunk[],
    readonly lexical: LexicalIndex,
    /** BM25 over whole articles (ids are positions in `articles`). */
    readonly articleLexical: LexicalIndex,
    readonly vocabulary: Vocabulary,
    /** `null` when the index has no vectors. */
    readonly vectors: VectorIndex | null,
    /** The directory it was loaded from or saved to, if any. */
    readonly location: string | null = null,
  ) {
    this.byId = new Map(articles.map((a) => [a.id, a]));
    this.chunksOf = new Map();
    chunks.forEach((chunk, position) => {
      const list = this.chunksOf.get(chunk.articleId);
      if (list) list.push(position);
      else this.chunksOf.set(chunk.articleId, [position]);
    });
  }

  /** The version name (folder) when it lives on disk; used to expire old buttons. */
  get version(): string {
    return this.manifest.builtAt;
  }

  article(id: string): Article | undefined {
    return this.byId.get(id);
  }

  chunk(position: number): Chunk {
    const chunk = this.chunks[position];
    if (!chunk) throw new RangeError(`no chunk at position ${position}`);
    return chunk;
  }

  chunkPositionsOf(articleId: string): number[] {
    return this.chunksOf.get(articleId) ?? [];
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

  /** Dense primitive: the nearest chunks to a query vector. */
  searchVector(query: Float32Array, k: number, filter?: (position: number) => boolean): VectorHit[] {
    return this.vectors ? this.vectors.search(query, k, filter) : [];
  }

  /** Lexical primitive: BM25 over the chunks. */
  searchLexical(queries: TermQuery[], filter?: (position: number) => boolean, limit?: number): LexicalHit[] {
    return this.lexical.search(queries, filter, limit);
  }

  /** BM25 over whole articles; hit ids are positions in `articles`. */
  searchArticles(queries: TermQuery[], filter?: (articleId: string) => boolean, limit?: number): LexicalHit[] {
    return this.articleLexical.search(queries, filter && ((i) => filter(this.articles[i]!.id)), limit, ARTICLE_BM25);
  }
}
