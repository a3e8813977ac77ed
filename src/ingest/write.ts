import matter from "gray-matter";
import type { Article } from "../domain/types";

/**
 * An article as a Markdown file with YAML front matter: the format articles added from the bot
 * are saved in under `corpus/`. Reading it back with `parseMarkdownArticle` gives the same
 * fields (and so the same `contentHash`): every character Markdown would read as markup is
 * backslash-escaped, and captions live in the front matter's `captions:` list.
 *
 * @example
 *   await writeFile(`corpus/${article.id}.md`, articleToMarkdown(article));
 */
export function articleToMarkdown(article: Article): string {
  const data: Record<string, string | string[]> = { id: article.id, title: article.title };
  const optional: Array<[string, string | null]> = [
    ["date", article.publishedAt],
    ["author", article.author],
    ["url", article.url],
    ["category", article.category],
  ];
  for (const [key, value] of optional) if (value !== null) data[key] = value;
  if (article.captions.length > 0) data["captions"] = article.captions;
  const body = article.body.split("\n").map(escapeMarkdown).join("\n\n");
  // Options (even empty) keep gray-matter from caching every string it has seen.
  return matter.stringify(body, data, {});
}

/**
 * Escapes one paragraph so that Markdown reads it back as exactly this text: inline markup
 * characters everywhere, block markers (headings, quotes, lists, rules, tables) at the start.
 */
export function escapeMarkdown(paragraph: string): string {
  return paragraph
    .replace(/[\\`*_[\]<~]/g, "\\$&")
    .replace(/&(?=#?[a-z0-9]+;)/gi, "\\&")
    .replace(/^[#>+\-=|]/, "\\$&")
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, "$1\\$2");
}
