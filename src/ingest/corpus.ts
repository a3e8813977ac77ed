import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { reasonOf } from "./article";
import type { CorpusFile, ParsedFile } from "./files";
import { decodeFileText } from "./decode";
import { LOADERS, loaderFor } from "./formats";
import { parseFileText } from "./parse-job";
import { fileStem } from "./text";

export interface LoadCorpusOptions {
  /** What `Article.source` paths are relative to; default: each folder given, or a file's folder. */
  root?: string;
  /** Called once per failure, as it happens (the failures are also returned). */
  onFailure?: (error: ArticleParseError) => void;
  /**
   * How a file's text becomes articles; default: its loader, in this thread. The bot passes
   * `ParseSandbox.parseFile`, so a slow file neither stops answering nor the re-index.
   */
  parse?: (file: CorpusFile, text: string) => ParsedFile | Promise<ParsedFile>;
}

export interface LoadedCorpus {
  articles: Article[];
  /** One per file (or record) that could not be read or parsed; the run went on without it. */
  failures: ArticleParseError[];
  /** Corpus files read (including those that failed). */
  files: number;
}

/** Names never read as articles: notes that live next to the corpus. */
const README = /^readme(?:\.[^.]+)?$/i;

/**
 * Loads every article under `paths` (folders, walked recursively, or single files).
 *
 * In a folder, hidden files and folders, README files and unknown extensions are skipped. Files
 * are read in sorted path order (each input in turn), so ids, failures and order are the same on
 * every run. Files must be text (`decodeFileText`: UTF-8, or UTF-16 with a byte order mark).
 * Nothing here throws for a bad file: unreadable or unparsable files, bad records and
 * duplicate ids each become one `ArticleParseError` and the rest still load. A later article
 * whose id is already taken is skipped ("duplicate article id X (also in Y)").
 *
 * @example
 *   const { articles, failures } = await loadCorpus(["corpus"], {
 *     onFailure: (e) => logger.warn(`skipped ${e.path}: ${e.reason}`),
 *   });
 */
export async function loadCorpus(paths: string[], options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const result: LoadedCorpus = { articles: [], failures: [], files: 0 };
  const articles = readCorpus(paths, {
    ...options,
    onFailure: (error) => {
      result.failures.push(error);
      options.onFailure?.(error);
    },
  });
  for (let next = await articles.next(); ; next = await articles.next()) {
    if (next.done) {
      result.files = next.value.files;
      return result;
    }
    result.articles.push(next.value);
  }
}

/**
 * `loadCorpus` an article at a time: only the file being read is in memory, never the corpus (a
 * build of a 200,000-article archive reads it twice this way rather than hold it: store/build.ts,
 * `ArticleSource`). Failures go to `onFailure` only; returns the number of files read.
 */
export async function* readCorpus(paths: string[], options: LoadCorpusOptions = {}): AsyncGenerator<Article, { files: number }> {
  const fail = (error: ArticleParseError): void => options.onFailure?.(error);
  const parse = options.parse ?? parseFileText;
  const seenFiles = new Set<string>();
  const seenIds = new Map<string, string>();
  let files = 0;

  for (const input of paths) {
    for (const file of await corpusFiles(input, options.root, fail)) {
      const absolute = resolve(file.path);
      if (seenFiles.has(absolute)) continue;
      seenFiles.add(absolute);
      files++;
      if (!loaderFor(file.path)) {
        fail(new ArticleParseError(file.path, `unsupported file type (expected ${Object.keys(LOADERS).join(", ")})`));
        continue;
      }
      let content: string;
      try {
        content = decodeFileText(await readFile(file.path), file.path);
      } catch (error) {
        fail(error instanceof ArticleParseError ? error : new ArticleParseError(file.path, `cannot read the file: ${reasonOf(error)}`));
        continue;
      }
      const parsed = await parse(file, content);
      parsed.failures.forEach(fail);
      for (const article of parsed.articles) {
        const first = seenIds.get(article.id);
        if (first !== undefined) {
          const reason = `duplicate article id ${article.id} (also in ${first})`;
          fail(new ArticleParseError(file.path, `${where(article, file)}${reason}`));
          continue;
        }
        seenIds.set(article.id, article.source);
        yield article;
      }
    }
  }
  return { files };
}

/** "line 7: " for a JSONL record, "item 7: " for a JSON array item, "" for a whole file. */
function where(article: Article, file: CorpusFile): string {
  const n = article.source.startsWith(`${file.source}#`) ? article.source.slice(file.source.length + 1) : "";
  if (!n) return "";
  return /\.(?:jsonl|ndjson)$/i.test(file.path) ? `line ${n}: ` : `item ${n}: `;
}

/**
 * Whether the walk of a corpus folder reads the file at `source` (its path relative to the folder,
 * "/"-separated): not hidden, not in a hidden folder, not a README, a known extension. For a
 * caller that reads one changed file instead of the folder, and must read only what the walk would.
 */
export function isWalked(source: string): boolean {
  const parts = source.split("/");
  const name = parts.at(-1) ?? "";
  return !parts.some((p) => p.startsWith(".") || p === "") && !README.test(name) && loaderFor(source) !== undefined;
}

/** The corpus files of one input path, sorted; a missing path is a failure, not a throw. */
async function corpusFiles(
  input: string,
  rootOption: string | undefined,
  fail: (error: ArticleParseError) => void,
): Promise<CorpusFile[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(input)).isDirectory();
  } catch (error) {
    fail(new ArticleParseError(input, `cannot open: ${reasonOf(error)}`));
    return [];
  }
  const root = rootOption ?? (isDirectory ? input : dirname(input));
  const paths = isDirectory ? await walk(input, new Set([await realpath(input)]), fail) : [input];
  return paths
    .map((path) => ({ path, source: relative(root, path).split(sep).join("/"), stem: fileStem(path) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Files with a known extension under `dir`; symbolic links are followed, each folder once. */
async function walk(dir: string, visited: Set<string>, fail: (error: ArticleParseError) => void): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    fail(new ArticleParseError(dir, `cannot list the folder: ${reasonOf(error)}`));
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".") || README.test(entry.name)) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        [isDirectory, isFile] = [target.isDirectory(), target.isFile()];
      } catch {
        continue; // a dangling link is not a corpus file
      }
    }
    if (isDirectory) {
      const real = await realpath(path);
      if (visited.has(real)) continue;
      visited.add(real);
      // A loop, not push(...list): spreading a big folder's list would overflow the stack.
      for (const file of await walk(path, visited, fail)) files.push(file);
    } else if (isFile && loaderFor(path)) {
      files.push(path);
    }
  }
  return files;
}
