/**
 * The data that flows through the pipeline:
 *
 *   corpus file ──load──▶ Article ──chunk──▶ Chunk ──embed/store──▶ index
 *   question ──retrieve──▶ ScoredChunk[] ──answer──▶ Answer
 *
 * Every text field is NFC. Offsets are UTF-16 code-unit offsets into `Article.body`
 * (what `String.prototype.slice` uses), so a quote is always `body.slice(start, end)`.
 */

/** One news article, as every loader produces it. */
export interface Article {
  /** Stable id: the record's own `id` when it has one, else derived from the file name. */
  id: string;
  title: string;
  /** ISO date (`YYYY-MM-DD`) or date-time; `null` when the source has none. */
  publishedAt: string | null;
  author: string | null;
  url: string | null;
  category: string | null;
  /**
   * The article text that is indexed and quoted: paragraphs separated by "\n".
   * Photo captions, teasers and datelines are not part of it (see `captions`).
   */
  body: string;
  /** Photo captions found in the source: kept for display, never quoted as sentences. */
  captions: string[];
  /** Where it came from: a path relative to the corpus root (`news.jsonl#12` for a record), or a URL. */
  source: string;
  /** sha256 (hex) over everything above except `source`: a change means "re-embed". */
  contentHash: string;
}

/** A half-open character range `[start, end)` into an article body. */
export interface Span {
  start: number;
  end: number;
}

/** A passage of an article: whole sentences, quoted by offsets. */
export interface Chunk {
  /** `${articleId}#${ordinal}` */
  id: string;
  articleId: string;
  /** 0-based position in the article; 0 is the lead. */
  ordinal: number;
  start: number;
  end: number;
  /** Sentence spans inside the chunk, in order, absolute offsets into the body. */
  sentences: Span[];
}

/** A chunk with the text it stands for, as handed to embedders and the lexical index. */
export interface ChunkWithText extends Chunk {
  text: string;
}

/** A retrieved passage. `score` is higher-is-better; the parts explain it. */
export interface ScoredChunk {
  chunk: Chunk;
  article: Article;
  /** Fused score in [0, 1]. */
  score: number;
  /** Lexical score normalised to [0, 1] against the best hit of this query (0 when absent). */
  lexical: number;
  /** Cosine similarity in [-1, 1]; `null` when dense retrieval is off. */
  dense: number | null;
  /** Query terms (NFC, lower-case syllables) that matched this passage. */
  matchedTerms: string[];
}

export interface Citation {
  /** 1-based, in order of first use in the answer. */
  n: number;
  articleId: string;
  title: string;
  publishedAt: string | null;
  author: string | null;
  url: string | null;
  source: string;
  /** The verbatim excerpts shown for this source, in the order the answer shows them (best first). */
  quotes: Quote[];
}

/** A verbatim excerpt: `text === article.body.slice(start, end)`. */
export interface Quote extends Span {
  text: string;
}

/** One block of the answer: a quote followed by its citation number. */
export interface AnswerPart {
  quote: Quote;
  citation: number;
  articleId: string;
  /**
   * The words that answer the question (the number with its unit, the date, the name), absolute
   * offsets into the article body inside the quote; null when the question asks for no such thing
   * or the quote holds none.
   */
  answerSpan: Span | null;
  /** Whole words of the quote that the question also writes (absolute offsets), for emphasis. */
  matches: Span[];
}

export type Language = "vi" | "en";

export interface Answer {
  question: string;
  language: Language;
  notFound: boolean;
  /** Plain-text rendering: the quotes with `[n]` markers (or the not-found sentence). */
  text: string;
  parts: AnswerPart[];
  citations: Citation[];
  /** Query terms that matched, for highlighting. */
  matchedTerms: string[];
  /** When `notFound`: the nearest headlines, so the reader has somewhere to go. */
  suggestions: Array<{ articleId: string; title: string; publishedAt: string | null }>;
  /**
   * When the question asks about now ("giá xăng hôm nay", "currently") and is answered: the date
   * (YYYY-MM-DD) of the newest article quoted, which the reply states first: the articles may be
   * older than the question.
   */
  asOf?: string;
  /**
   * When `notFound` because the question asks about today or last night ("giá vàng hôm nay") and
   * no article of the last two days answers it, but an older one does: the date (YYYY-MM-DD) of
   * the latest such, which the reply names.
   */
  outdated?: string;
}

/**
 * What the pipeline needs of an embedding model (implemented by `embed/TransformersEmbedder`).
 * Prefixes ("query: " / "passage: ") are applied inside; callers pass plain text.
 */
export interface Embedder {
  readonly modelId: string;
  readonly dtype: string;
  readonly dimensions: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}
