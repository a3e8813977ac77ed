import type { Article, Chunk, Span } from "../domain/types";
import { splitSentences } from "./sentences";

export interface ChunkOptions {
  /** Upper bound on a chunk's length in characters (a single longer sentence is kept whole). */
  maxChars: number;
  /** Whole sentences repeated at the start of the next chunk, so no thought is cut in two. */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 900, overlapSentences: 1 };

/**
 * Packs an article's sentences greedily into passages of at most `maxChars`, each next passage
 * starting with the last `overlapSentences` sentences of the previous one.
 *
 * Pure: the same article and options always give the same chunks, and for every chunk
 * `article.body.slice(chunk.start, chunk.end)` is its text.
 *
 * @example
 *   const chunks = chunkArticle(article, { maxChars: 900, overlapSentences: 1 });
 *   const text = article.body.slice(chunks[0].start, chunks[0].end);
 */
export function chunkArticle(article: Article, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const sentences = splitSentences(article.body);
  const chunks: Chunk[] = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    while (
      last + 1 < sentences.length &&
      sentences[last + 1]!.end - sentences[first]!.start <= options.maxChars
    ) {
      last++;
    }
    chunks.push(makeChunk(article.id, chunks.length, sentences.slice(first, last + 1)));
    if (last + 1 >= sentences.length) break;
    // Step back by the overlap, but always move forward by at least one sentence.
    first = Math.max(first + 1, last + 1 - options.overlapSentences);
  }
  return chunks;
}

function makeChunk(articleId: string, ordinal: number, sentences: Span[]): Chunk {
  return {
    id: `${articleId}#${ordinal}`,
    articleId,
    ordinal,
    start: sentences[0]!.start,
    end: sentences.at(-1)!.end,
    sentences: sentences.map(({ start, end }) => ({ start, end })),
  };
}

/** The text a chunk stands for. */
export function chunkText(article: Article, chunk: Chunk): string {
  return article.body.slice(chunk.start, chunk.end);
}

/**
 * A passage as the model embeds it and the vocabulary counts it: its article's title on the line
 * before its text ("Hữu Lũng" in a title disambiguates its body).
 */
export function titledText(title: string, text: string): string {
  return `${title}\n${text}`;
}
