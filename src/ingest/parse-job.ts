import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { reasonOf } from "./article";
import type { CorpusFile, ParsedFile } from "./files";
import { LOADERS, loaderFor } from "./formats";
import { parseHtmlArticle, type HtmlOptions } from "./html";

/**
 * One unit of parsing, as plain data: what `ParseSandbox` sends to its worker thread, and what
 * runs in process where no sandbox is used. Keeping it data (no functions, no classes) is what
 * lets it cross `postMessage`.
 */
export type ParseJob =
  /** A corpus file's decoded text, read by the loader its extension names. */
  | { kind: "file"; file: CorpusFile; text: string }
  /** A fetched page (`/add`, feeds): one article, or a failure naming `source`. */
  | { kind: "page"; html: string; source: string; url?: string; options?: HtmlOptions };

/** `ParsedFile` as structured-clone data: failures as `{ path, reason }`. */
export interface ParseOutcome {
  articles: Article[];
  failures: Array<{ path: string; reason: string }>;
}

/** Runs a job in this thread. Never throws for bad input: every problem is a failure. */
export function runParseJob(job: ParseJob): ParseOutcome {
  const parsed = job.kind === "file" ? parseFileText(job.file, job.text) : parsePage(job);
  return { articles: parsed.articles, failures: parsed.failures.map(({ path, reason }) => ({ path, reason })) };
}

/** An outcome back to a `ParsedFile` (with real `ArticleParseError`s). */
export function toParsedFile(outcome: ParseOutcome): ParsedFile {
  return { articles: outcome.articles, failures: outcome.failures.map((f) => new ArticleParseError(f.path, f.reason)) };
}

/** A corpus file's text → its articles and failures, with the loader for its extension. */
export function parseFileText(file: CorpusFile, text: string): ParsedFile {
  const loader = loaderFor(file.path);
  if (!loader) {
    return { articles: [], failures: [new ArticleParseError(file.path, `unsupported file type (expected ${Object.keys(LOADERS).join(", ")})`)] };
  }
  try {
    return loader(text, file);
  } catch (error) {
    // Loaders report bad input as failures; this is a bug, but one file must not stop the run.
    return { articles: [], failures: [new ArticleParseError(file.path, `could not parse: ${reasonOf(error)}`)] };
  }
}

function parsePage(job: Extract<ParseJob, { kind: "page" }>): ParsedFile {
  try {
    return { articles: [parseHtmlArticle(job.html, job.source, job.url, job.options)], failures: [] };
  } catch (error) {
    return { articles: [], failures: [new ArticleParseError(job.source, reasonOf(error))] };
  }
}
