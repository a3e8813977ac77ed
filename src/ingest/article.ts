import { createHash } from "node:crypto";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { nfc } from "../text/vietnamese";
import { cleanLine, cleanLines, cleanOptional } from "./text";

/** What a loader knows about an article; `makeArticle` normalises it and adds the hash. */
export interface ArticleFields {
  id: string;
  title: string;
  publishedAt?: string | null;
  author?: string | null;
  url?: string | null;
  category?: string | null;
  /** The text, paragraphs separated by "\n" (or given as a list). */
  body: string | readonly string[];
  captions?: readonly string[];
  source: string;
}

/**
 * The one place an `Article` is built: every text field NFC, trimmed, whitespace collapsed,
 * empty paragraphs and duplicate captions dropped, and `contentHash` computed over the result.
 *
 * Throws `ArticleParseError(source, …)` when the id, title or body is empty (such a record
 * cannot be cited) or a field is over its `FIELD_LIMITS`: either way it never enters the corpus.
 *
 * @example
 *   const article = makeArticle({ id: "a1", title: "Tiêu đề", body: ["Một.", "Hai."], source: "a1.md" });
 *   article.body; // "Một.\nHai."
 */
export function makeArticle(fields: ArticleFields): Article {
  const paragraphs = typeof fields.body === "string" ? [fields.body] : fields.body;
  const content = {
    id: nfc(fields.id).trim(),
    title: cleanLine(fields.title),
    publishedAt: cleanOptional(fields.publishedAt),
    author: cleanOptional(fields.author),
    url: cleanOptional(fields.url),
    category: cleanOptional(fields.category),
    body: paragraphs.flatMap(cleanLines).join("\n"),
    captions: [...new Set((fields.captions ?? []).map(cleanLine).filter((c) => c.length > 0))],
  };
  if (!content.id) throw new ArticleParseError(fields.source, "the article has no id");
  if (!content.title) throw new ArticleParseError(fields.source, "the article has no title");
  if (!content.body) throw new ArticleParseError(fields.source, "the article has no body text");
  checkLimits(content, fields.source);
  return { ...content, source: fields.source, contentHash: contentHash(content) };
}

/**
 * The longest each field may be, in characters (after clean-up). Far above any real article
 * (a headline is under 200 characters, a long report under 100,000), and low enough that one
 * record cannot hold up a build: the title is indexed with every passage, so a 4 MB title is
 * 4 MB of work per passage. An article over a limit is refused with the field named; the rest
 * of its file still loads.
 */
export const FIELD_LIMITS = {
  id: 200,
  title: 1_000,
  author: 500,
  url: 2_048,
  category: 200,
  body: 1_000_000,
  /** Each caption, and how many an article may have. */
  caption: 2_000,
  captions: 1_000,
} as const;

function checkLimits(article: Omit<Article, "source" | "contentHash">, source: string): void {
  const fields = ["id", "title", "author", "url", "category", "body"] as const;
  for (const field of fields) {
    const length = article[field]?.length ?? 0;
    if (length > FIELD_LIMITS[field]) {
      const hint = field === "body" ? ": split it into several articles" : ": is another field's text in it?";
      throw new ArticleParseError(source, `the ${field} is ${length.toLocaleString("en")} characters long; the limit is ${FIELD_LIMITS[field].toLocaleString("en")}${hint}`);
    }
  }
  if (article.captions.length > FIELD_LIMITS.captions) {
    throw new ArticleParseError(source, `the article has ${article.captions.length} captions; the limit is ${FIELD_LIMITS.captions}`);
  }
  const long = article.captions.find((c) => c.length > FIELD_LIMITS.caption);
  if (long !== undefined) {
    throw new ArticleParseError(source, `a caption is ${long.length.toLocaleString("en")} characters long; the limit is ${FIELD_LIMITS.caption.toLocaleString("en")}`);
  }
}

/**
 * sha256 (hex) of the canonical JSON of an article's content: every field but `source` and the
 * hash, keys in sorted order, so the same content always hashes the same.
 */
export function contentHash(article: Omit<Article, "source" | "contentHash">): string {
  const { author, body, captions, category, id, publishedAt, title, url } = article;
  const canonical = JSON.stringify({ author, body, captions, category, id, publishedAt, title, url });
  return createHash("sha256").update(canonical).digest("hex");
}

/** The reason of an error, without the path an `ArticleParseError` already carries. */
export function reasonOf(error: unknown): string {
  if (error instanceof ArticleParseError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
