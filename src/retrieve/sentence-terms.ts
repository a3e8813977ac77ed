import type { Article, Span } from "../domain/types";
import { RecentCache } from "../recent-cache";
import { packedTokens, tokenRange, type PackedTokens } from "../text/token-cache";

/**
 * Numbers (4 bytes each) of the articles' terms kept by `SentenceTerms`: 16 MiB holds every
 * sentence of ~4 million tokens (the 2,653-article news corpus has 1.8 million).
 */
export const SENTENCE_TERM_BYTES = 16 * 2 ** 20;

/** An article's terms as numbers (`PackedTokens.numberOf`): its title's, and each sentence's in order. */
export interface ArticleTerms {
  title: Int32Array;
  /** Every sentence's term numbers, one after another. */
  terms: Int32Array;
  /** Sentence i's are `terms[ends[i - 1] ?? 0 … ends[i])`. */
  ends: Int32Array;
}

/**
 * The terms of an article's title and of each of its sentences, as numbers (those of the packed
 * tokens, `packedTokens`), remembered per article (`SENTENCE_TERM_BYTES`): what the retriever's
 * sentence evidence asks of the ten best articles of every question. Worked out from the body
 * once, it costs a look at a few thousand numbers afterwards, instead of reading the body,
 * tokenizing it and cutting it into sentences again for each question that finds the article.
 *
 * One per index (the sentences are the index's): an article id names one text there.
 */
export class SentenceTerms {
  private readonly articles: RecentCache<string, ArticleTerms & { generation: number }>;

  constructor(
    private readonly sentencesOf: (articleId: string) => Span[],
    capacityBytes = SENTENCE_TERM_BYTES,
    private readonly packed: PackedTokens = packedTokens,
  ) {
    this.articles = new RecentCache(Math.max(1, Math.floor(capacityBytes / 4)), (a) => a.title.length + a.terms.length + a.ends.length);
  }

  /** The number of a term, or -1 when no text read so far writes it. */
  numberOf(term: string): number {
    return this.packed.numberOf(term);
  }

  /** Numbers given so far (all below this). */
  get termCount(): number {
    return this.packed.termCount;
  }

  /** Articles kept. */
  get size(): number {
    return this.articles.size;
  }

  /**
   * The article's terms. A sentence's are the body's tokens between its ends, or, when a token of
   * the body crosses one of them (a span cut inside "3.5"), the tokens of the sentence's own text.
   */
  of(article: Article): ArticleTerms {
    const known = this.articles.get(article.id);
    if (known !== undefined && known.generation === this.packed.generation) return known;
    for (;;) {
      // Numbers of one generation only: read again if the packed tokens started their numbering
      // over meanwhile (at most once: the table is nearly empty after that).
      const generation = this.packed.generation;
      const read = this.read(article);
      if (this.packed.generation !== generation) continue;
      const entry = { ...read, generation };
      this.articles.set(article.id, entry);
      return entry;
    }
  }

  private read(article: Article): ArticleTerms {
    const { body } = article;
    const title = this.packed.packed(article.title).terms.slice();
    const tokens = this.packed.packed(body);
    const spans = this.sentencesOf(article.id);
    const parts: Int32Array[] = [];
    let length = 0;
    for (const span of spans) {
      const range = tokenRange(tokens.terms.length, (k) => tokens.starts[k]!, (k) => tokens.ends[k]!, span.start, span.end);
      const part = range ? tokens.terms.subarray(range[0], range[1]) : this.packed.packed(body.slice(span.start, span.end)).terms;
      parts.push(part);
      length += part.length;
    }
    const terms = new Int32Array(length);
    const ends = new Int32Array(spans.length);
    let at = 0;
    parts.forEach((part, i) => {
      terms.set(part, at);
      ends[i] = at += part.length;
    });
    return { title, terms, ends };
  }
}
