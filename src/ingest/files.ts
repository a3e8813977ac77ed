import type { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";

/** A corpus file as the loaders see it. */
export interface CorpusFile {
  /** The path to show in failures (as the user gave it, joined with the walked folders). */
  path: string;
  /** `Article.source` prefix: the path relative to the corpus root, "/"-separated. */
  source: string;
  /** The file name without extension: the id of a single-article file, the prefix of record ids. */
  stem: string;
}

/** What loading one file gave: the articles that parsed and one failure per one that did not. */
export interface ParsedFile {
  articles: Article[];
  failures: ArticleParseError[];
}

/** Where a single-article text came from, and the id it gets (a file's stem). */
export interface SingleSource {
  id: string;
  /** `Article.source`: the path relative to the corpus root, or a URL. */
  source: string;
}
