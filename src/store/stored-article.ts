import type { Article } from "../domain/types";
import { RecentCache } from "../recent-cache";
import { OpenFile } from "./binary-file";

/** How many articles' bodies and captions are kept after being read (every segment together). */
export const BODY_CACHE_ARTICLES = 512;

/**
 * What listings need of an article, kept in memory for every article of a segment
 * (`catalog.json`): [title, publishedAt, author, url, category, source, contentHash, and the byte
 * range of its line in `articles.jsonl`].
 */
export type CatalogRow = [string, string | null, string | null, string | null, string | null, string, string, number, number];

/** An article's row of the catalog, its line at `offset` in the articles file. */
export function catalogRow(article: Article, offset: number, bytes: number): CatalogRow {
  return [article.title, article.publishedAt, article.author, article.url, article.category, article.source, article.contentHash, offset, offset + bytes];
}

/** The text fields read from the file on demand. */
interface ArticleText {
  body: string;
  captions: string[];
}

/** Recently read texts. */
const recent = new RecentCache<StoredArticle, ArticleText>(BODY_CACHE_ARTICLES);

/** A segment's `articles.jsonl`, open for reading article lines at their byte offsets (`OpenFile`). */
export class ArticleFile {
  private constructor(private readonly file: OpenFile) {}

  static open(file: string): ArticleFile {
    return new ArticleFile(OpenFile.open(file));
  }

  /** The article whose line is bytes [start, end) of the file. Synchronous: searches are. */
  read(start: number, end: number): Article {
    const bytes = Buffer.allocUnsafe(end - start);
    this.file.readInto(bytes, start);
    return JSON.parse(bytes.toString("utf8")) as Article;
  }
}

/**
 * A loaded article: the fields that listings and filters read are in memory; the body and the
 * captions (most of an article's size: at 200,000 articles, gigabytes of text) are read from the
 * segment's file when first asked for, and kept in a small cache shared by every segment
 * (`BODY_CACHE_ARTICLES`). Getters rather than another type or an async method: every caller of
 * `Article` (the retriever, the reader, the answerer, the bot's formatting) reads `body`
 * synchronously and needs no change, and only a few articles per question are ever read.
 * `toJSON` gives the whole record, so serialising one gives what was indexed.
 */
export class StoredArticle implements Article {
  readonly title: string;
  readonly publishedAt: string | null;
  readonly author: string | null;
  readonly url: string | null;
  readonly category: string | null;
  readonly source: string;
  readonly contentHash: string;

  // Where the text is: true private fields, not own properties, so that comparing two loaded
  // articles (tests: a load equals a build) compares what they hold, not which file descriptor.
  readonly #file: ArticleFile;
  readonly #start: number;
  readonly #end: number;

  constructor(
    readonly id: string,
    row: CatalogRow,
    file: ArticleFile,
  ) {
    [this.title, this.publishedAt, this.author, this.url, this.category, this.source, this.contentHash] = row;
    this.#file = file;
    this.#start = row[7];
    this.#end = row[8];
  }

  get body(): string {
    return this.text().body;
  }

  get captions(): string[] {
    return this.text().captions;
  }

  toJSON(): Article {
    const { id, title, publishedAt, author, url, category, body, captions, source, contentHash } = this;
    return { id, title, publishedAt, author, url, category, body, captions, source, contentHash };
  }

  private text(): ArticleText {
    return recent.remember(this, () => {
      const { body, captions } = this.#file.read(this.#start, this.#end);
      return { body, captions };
    });
  }
}
