import { z } from "zod";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { makeArticle, reasonOf } from "./article";
import { parseDate } from "./dates";
import type { CorpusFile, ParsedFile } from "./files";
import { shapePlainText } from "./plain";
import { splitLines } from "./text";

const text = z.string().nullish();
const scalar = z.union([z.string(), z.number()]).nullish();

/** One article record: `{id?, title, text|body|content, date|publishedAt, url?, author?, category?}`. */
export const ArticleRecordSchema = z.object({
  id: scalar,
  title: text,
  text,
  body: text,
  content: text,
  date: scalar,
  publishedAt: scalar,
  url: text,
  author: z.union([z.string(), z.array(z.string())]).nullish(),
  category: text,
  captions: z.array(z.string()).nullish(),
});
export type ArticleRecord = z.infer<typeof ArticleRecordSchema>;

/**
 * One record → an `Article`. The record's `id` is the article id; `fallbackId` is used without
 * one. The text is plain text, shaped by `shapePlainText` (captions, by-line, dateline); an empty
 * title falls back to the first sentence of the text.
 */
export function recordToArticle(value: unknown, fallbackId: string, source: string): Article {
  const parsed = ArticleRecordSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`);
    throw new ArticleParseError(source, `not an article record (${problems.join("; ")})`);
  }
  const record = parsed.data;
  const body = record.text ?? record.body ?? record.content;
  if (body == null) {
    throw new ArticleParseError(source, "the record has no text (expected a text, body or content field)");
  }
  const author = Array.isArray(record.author) ? record.author.join(", ") : record.author;
  const shaped = shapePlainText(splitLines(body), { title: record.title, author });
  const id = record.id == null ? "" : String(record.id).trim();
  return makeArticle({
    id: id || fallbackId,
    title: shaped.title ?? "",
    publishedAt: parseDate(record.date ?? record.publishedAt),
    author: shaped.author,
    url: record.url,
    category: record.category,
    body: shaped.paragraphs,
    captions: [...(record.captions ?? []), ...shaped.captions],
    source,
  });
}

/**
 * A `.json` file: one record, or an array of records. Array items are numbered from 1: the
 * source is `file.json#3` and the id, without one in the record, `file-3`.
 */
export function parseJsonArticles(content: string, file: CorpusFile): ParsedFile {
  let value: unknown;
  try {
    value = parseJson(stripBom(content));
  } catch (error) {
    return { articles: [], failures: [new ArticleParseError(file.path, reasonOf(error))] };
  }
  if (!Array.isArray(value)) {
    try {
      return { articles: [recordToArticle(value, file.stem, file.source)], failures: [] };
    } catch (error) {
      return { articles: [], failures: [new ArticleParseError(file.path, reasonOf(error))] };
    }
  }
  const result: ParsedFile = { articles: [], failures: [] };
  value.forEach((item: unknown, index) => {
    const n = index + 1;
    try {
      result.articles.push(recordToArticle(item, `${file.stem}-${n}`, `${file.source}#${n}`));
    } catch (error) {
      result.failures.push(new ArticleParseError(file.path, `item ${n}: ${reasonOf(error)}`));
    }
  });
  return result;
}

/**
 * A `.jsonl` / `.ndjson` file: one record a line. A bad line is one failure ("line 7: …") and the
 * others still load. Line numbers are 1-based physical lines (blank lines count, and are skipped):
 * the source is `file.jsonl#7` and the id, without one in the record, `file-7`.
 */
export function parseJsonlArticles(content: string, file: CorpusFile): ParsedFile {
  const result: ParsedFile = { articles: [], failures: [] };
  stripBom(content)
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() === "") return;
      const n = index + 1;
      try {
        result.articles.push(recordToArticle(parseJson(line), `${file.stem}-${n}`, `${file.source}#${n}`));
      } catch (error) {
        result.failures.push(new ArticleParseError(file.path, `line ${n}: ${reasonOf(error)}`));
      }
    });
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON: ${reasonOf(error)}`);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
