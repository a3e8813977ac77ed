import { extname } from "node:path";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { reasonOf } from "./article";
import type { CorpusFile, ParsedFile, SingleSource } from "./files";
import { parseHtmlArticle } from "./html";
import { parseMarkdownArticle } from "./markdown";
import { parseJsonArticles, parseJsonlArticles } from "./records";
import { parseTextArticle } from "./txt";

/** The one primitive every format implements: a file's text → its articles and failures. */
export type Loader = (content: string, file: CorpusFile) => ParsedFile;

/** A loader for formats with one article a file, whose id is the file stem. */
function single(parse: (content: string, from: SingleSource) => Article): Loader {
  return (content, file) => {
    try {
      return { articles: [parse(content, { id: file.stem, source: file.source })], failures: [] };
    } catch (error) {
      return { articles: [], failures: [new ArticleParseError(file.path, reasonOf(error))] };
    }
  };
}

const html = single((content, from) => parseHtmlArticle(content, from.source, undefined, { id: from.id }));
const markdown = single(parseMarkdownArticle);

/** Loaders by lower-case file extension. Files with other extensions are not corpus files. */
export const LOADERS: Readonly<Record<string, Loader>> = {
  ".txt": single(parseTextArticle),
  ".md": markdown,
  ".markdown": markdown,
  ".json": parseJsonArticles,
  ".jsonl": parseJsonlArticles,
  ".ndjson": parseJsonlArticles,
  ".html": html,
  ".htm": html,
};

export function loaderFor(path: string): Loader | undefined {
  return LOADERS[extname(path).toLowerCase()];
}
