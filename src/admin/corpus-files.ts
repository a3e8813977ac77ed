import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Article } from "../domain/types";
import { articleToMarkdown, decodeFileText, loaderFor, parseFileText, reasonOf, type ParseSandbox } from "../ingest";
import { fold, nfc } from "../text/vietnamese";

/**
 * The corpus files the admin commands write, next to the newsroom's own:
 *
 *   corpus/
 *     added/<id>.md          pages added by URL (/add, feeds): one article a file, id from the URL
 *     uploads/<name>         documents uploaded in Telegram, as they came (name sanitised)
 *     .trash/<time>-<name>   deleted files, with .trash/index.json to put them back
 *
 * Everything lives under `corpus/`, so it survives `npm run ingest -- --rebuild`; the hidden
 * `.trash` is skipped by `loadCorpus` (it skips every name starting with "."), and so are the
 * hidden temporary files writes go through, so an ingest running meanwhile never reads half a file.
 */

export type CorpusRefusalCode =
  | "bad-id"
  | "bad-type"
  | "too-large"
  | "not-utf8"
  | "unparsable"
  | "empty"
  | "id-taken"
  | "not-found"
  | "shared-file"
  | "not-in-trash"
  | "exists";

/** A corpus change that was refused before anything was written; `message` says what to do. */
export class CorpusRefusedError extends Error {
  override readonly name = "CorpusRefusedError";
  constructor(
    readonly code: CorpusRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** Extensions accepted as uploads: every format the loaders read. */
export const UPLOAD_EXTENSIONS = [".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson"] as const;

const ADDED = "added";
const UPLOADS = "uploads";
const TRASH = ".trash";
const TRASH_INDEX = "index.json";
const MAX_ID_BYTES = 48;
const MAX_NAME_CHARS = 80;
/** Query parameters that only track the click: the same article with or without them. */
const TRACKING = /^(?:utm_\w+|fbclid|gclid|zarsrc|zacc|gidzl)$/i;

export interface CorpusFilesOptions {
  corpusDir: string;
  uploadMaxBytes: number;
  /** The article in service with this id (the current index): locates files, detects id clashes. */
  findArticle: (id: string) => Article | undefined;
  /** Where uploads are parsed: off the event loop, within a budget (default: in process). */
  parser?: ParseSandbox;
}

export type SaveState = "added" | "updated" | "unchanged";

export interface SavedFile {
  /** Absolute path of the file. */
  file: string;
  /** The path relative to the corpus root, "/"-separated: what `Article.source` will be. */
  source: string;
  state: SaveState;
}

interface TrashEntry {
  articleId: string;
  /** Where the file was, relative to the corpus root. */
  source: string;
  /** Its name inside `.trash/`. */
  trashed: string;
  at: string;
}

/**
 * Writes, trashes and restores corpus files for the admin commands. Every write is atomic
 * (hidden temporary file, then rename) and every refusal happens before anything is written.
 *
 * @example
 *   const files = new CorpusFiles({ corpusDir, uploadMaxBytes, findArticle: (id) => service.index.article(id) });
 *   await files.saveArticle(article); // corpus/added/<id>.md
 */
export class CorpusFiles {
  readonly corpusDir: string;

  constructor(private readonly options: CorpusFilesOptions) {
    this.corpusDir = path.resolve(options.corpusDir);
  }

  /** The source (relative path) an article from `url` is saved under: `added/<id>.md`. */
  static sourceFor(articleId: string): string {
    return `${ADDED}/${articleId}.md`;
  }

  /**
   * Saves an article as `added/<id>.md` (the id should come from `articleIdForUrl`, so adding a
   * URL again replaces its file). A byte-identical file is left alone ("unchanged").
   */
  async saveArticle(article: Article): Promise<SavedFile> {
    if (!/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(article.id)) {
      throw new CorpusRefusedError("bad-id", `"${article.id}" cannot be a file name: use articleIdForUrl(url) for the id`);
    }
    const source = CorpusFiles.sourceFor(article.id);
    const file = this.resolve(source);
    const text = articleToMarkdown(article);
    const before = await fs.readFile(file, "utf8").catch(() => null);
    if (before === text) return { file, source, state: "unchanged" };
    await writeAtomically(file, text);
    return { file, source, state: before === null ? "added" : "updated" };
  }

  /**
   * Validates an uploaded document with the real loaders, then saves it as `uploads/<safe name>`.
   * Refused, with nothing written: another extension, too large, not UTF-8, any record that does
   * not parse (the reason names it), no article at all, or an article id that another file holds.
   * Uploading a file of the same name again replaces it.
   */
  async saveUpload(fileName: string, bytes: Uint8Array): Promise<SavedFile & { articles: Article[] }> {
    const name = safeUploadName(fileName);
    const max = this.options.uploadMaxBytes;
    if (bytes.byteLength > max) {
      throw new CorpusRefusedError("too-large", `the file is ${bytes.byteLength} bytes; uploads are limited to ${max} bytes`);
    }
    let text: string;
    try {
      text = decodeFileText(bytes, name);
    } catch (error) {
      throw new CorpusRefusedError("not-utf8", `${name}: ${reasonOf(error)}`);
    }
    const source = `${UPLOADS}/${name}`;
    const stem = name.slice(0, name.length - path.extname(name).length);
    const file = { path: name, source, stem };
    // safeUploadName admits only extensions with a loader.
    const parsed = this.options.parser ? await this.options.parser.parseFile(file, text) : parseFileText(file, text);
    if (parsed.failures.length > 0) {
      const shown = parsed.failures.slice(0, 3).map((f) => f.reason);
      const more = parsed.failures.length > 3 ? ` (and ${parsed.failures.length - 3} more)` : "";
      throw new CorpusRefusedError("unparsable", `${name} does not parse: ${shown.join("; ")}${more}`);
    }
    if (parsed.articles.length === 0) throw new CorpusRefusedError("empty", `${name} holds no article`);
    const seen = new Set<string>();
    for (const article of parsed.articles) {
      if (seen.has(article.id)) throw new CorpusRefusedError("id-taken", `the article id ${article.id} appears twice in ${name}`);
      seen.add(article.id);
      const holder = this.options.findArticle(article.id);
      if (holder && fileOf(holder.source) !== source) {
        throw new CorpusRefusedError("id-taken", `the article id ${article.id} is already used by ${holder.source}: give the article another id`);
      }
    }
    const target = this.resolve(source);
    const existed = await exists(target);
    // The bytes as they came (a UTF-16 file stays UTF-16): the corpus walk decodes them alike.
    await writeAtomically(target, bytes);
    return { file: target, source, state: existed ? "updated" : "added", articles: parsed.articles };
  }

  /**
   * The corpus file that holds an article, from the index in service (`Article.source`).
   * @throws CorpusRefusedError "not-found" when no such article is in service or its file is gone.
   */
  async findSource(articleId: string): Promise<{ file: string; source: string; article: Article }> {
    const article = this.options.findArticle(articleId);
    if (!article) throw new CorpusRefusedError("not-found", `no article with id ${articleId} is in the index`);
    const source = fileOf(article.source);
    const file = this.resolve(source);
    if (!(await exists(file))) {
      throw new CorpusRefusedError("not-found", `${source} (the file of ${articleId}) is no longer in the corpus`);
    }
    return { file, source, article };
  }

  /**
   * Moves the file of an article to `.trash/` (nothing is destroyed). Only for an article that
   * is alone in its file: one record among many in a JSON/JSONL file is refused ("shared-file").
   */
  async trash(articleId: string): Promise<{ source: string; trashed: string; article: Article }> {
    const { file, source, article } = await this.findSource(articleId);
    const ids = await articleIdsIn(file, source);
    if (ids.length !== 1 || ids[0] !== articleId) {
      throw new CorpusRefusedError(
        "shared-file",
        `${articleId} is one of ${ids.length} articles in ${source}: /delete removes whole files only. ` +
          `Remove the record from ${source} and re-index instead`,
      );
    }
    const trashed = `${stamp()}-${path.basename(source)}`;
    await move(file, path.join(this.corpusDir, TRASH, trashed));
    const entries = await this.readTrash();
    entries.push({ articleId, source, trashed, at: new Date().toISOString() });
    await this.writeTrash(entries);
    return { source, trashed: `${TRASH}/${trashed}`, article };
  }

  /** Puts the most recently trashed file of an article back where it was. */
  async undelete(articleId: string): Promise<{ source: string }> {
    const entries = await this.readTrash();
    const index = entries.findLastIndex((e) => e.articleId === articleId);
    const entry = entries[index];
    if (!entry) throw new CorpusRefusedError("not-in-trash", `${articleId} is not in the trash`);
    const current = this.options.findArticle(articleId);
    if (current) throw new CorpusRefusedError("exists", `${articleId} is in the index again (from ${current.source})`);
    const target = this.resolve(entry.source);
    if (await exists(target)) {
      throw new CorpusRefusedError("exists", `${entry.source} exists again: move it away first to restore the deleted one`);
    }
    await move(path.join(this.corpusDir, TRASH, entry.trashed), target);
    entries.splice(index, 1);
    await this.writeTrash(entries);
    return { source: entry.source };
  }

  /** A corpus-relative path → absolute path, refusing anything that leaves the corpus. */
  private resolve(source: string): string {
    const file = path.resolve(this.corpusDir, source);
    if (!file.startsWith(this.corpusDir + path.sep) || /^[a-z][\w+.-]*:\/\//i.test(source)) {
      throw new CorpusRefusedError("not-found", `${source} is not a file inside the corpus folder`);
    }
    return file;
  }

  private async readTrash(): Promise<TrashEntry[]> {
    try {
      const data = JSON.parse(await fs.readFile(path.join(this.corpusDir, TRASH, TRASH_INDEX), "utf8")) as { entries?: TrashEntry[] };
      return data.entries ?? [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }

  private writeTrash(entries: TrashEntry[]): Promise<void> {
    return writeAtomically(path.join(this.corpusDir, TRASH, TRASH_INDEX), JSON.stringify({ version: 1, entries }, null, 2) + "\n");
  }
}

/**
 * A stable article id for a page URL: host and path as an ASCII slug, ≤ 48 bytes, with an
 * 8-hex hash of the normalised URL when it had to be cut. Scheme, "www.", the fragment, a
 * trailing "/" or ".html" and tracking parameters (utm_*, fbclid …) do not change it, so adding
 * the same page again updates its file instead of adding a second one.
 *
 * @example
 *   articleIdForUrl("https://www.baothu.vn/thoi-su/lu-quet.html?utm_source=fb"); // "baothu-vn-thoi-su-lu-quet"
 */
export function articleIdForUrl(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase().replace(/^www\./, "");
  let pathname = parsed.pathname;
  try {
    pathname = decodeURIComponent(pathname);
  } catch {
    // A stray "%" stays as it is.
  }
  pathname = pathname.replace(/\/+$/, "").replace(/\.(?:s?html?|php|aspx?)$/i, "");
  const params = [...parsed.searchParams].filter(([key]) => !TRACKING.test(key));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : "";
  const key = `${host}${pathname}${query}`;
  const slug = asciiSlug(key);
  if (slug.length <= MAX_ID_BYTES) return slug;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${slug.slice(0, MAX_ID_BYTES - 9).replace(/-+$/, "")}-${hash}`;
}

/**
 * An uploaded file's name made safe: the last path component only, ASCII letters, digits,
 * "_", "-" and ".", no leading dot (hidden files are not read), the extension kept.
 * @throws CorpusRefusedError "bad-type" for an extension no loader reads.
 */
export function safeUploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const ext = path.extname(base).toLowerCase();
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new CorpusRefusedError("bad-type", `${ext || "a file without extension"} is not accepted: send ${UPLOAD_EXTENSIONS.join(", ")}`);
  }
  const stem = asciiSlug(base.slice(0, base.length - ext.length), /[^a-z0-9_.-]+/g)
    .replace(/^[.-]+/, "")
    .slice(0, MAX_NAME_CHARS);
  return `${stem || "upload"}${ext}`;
}

function asciiSlug(text: string, disallowed = /[^a-z0-9]+/g): string {
  return fold(nfc(text))
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(disallowed, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The corpus file of an article's source: `news.jsonl#12` → `news.jsonl`. */
export function fileOf(source: string): string {
  const hash = source.indexOf("#");
  return hash < 0 ? source : source.slice(0, hash);
}

/** The ids of the articles a corpus file holds, read with the same loader the ingest uses. */
async function articleIdsIn(file: string, source: string): Promise<string[]> {
  const loader = loaderFor(file);
  if (!loader) return [];
  const text = decodeFileText(await fs.readFile(file), file);
  const stem = path.basename(file, path.extname(file));
  const parsed = loader(text, { path: file, source, stem });
  return parsed.articles.map((a) => a.id);
}

/** Temporary file (hidden, same folder) then rename: readers see the old file or the new one. */
export async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** rename, or copy and remove when the two places are on different file systems. */
async function move(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await fs.copyFile(from, to);
    await fs.rm(from);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** A sortable UTC time stamp for file names: 20240820T211500123Z. */
function stamp(): string {
  return new Date().toISOString().replace(/[-:.]/g, "");
}
