import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { makeArticle } from "./article";
import { parseDate } from "./dates";
import type { SingleSource } from "./files";
import { shapePlainText } from "./plain";
import { cleanLines } from "./text";

// "Thứ sáu,  01/03/2024", "Chủ nhật, 3/3/2024 08:30", "01/03/2024"
const DATE_LINE =
  /^(?:(?:thứ\s+[\p{L}\d]+|chủ\s+nhật)\s*,?\s*)?\d{1,2}\/\d{1,2}\/\d{4}(?:[\s,|-]+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*\(GMT\s*[+-]\s*\d{1,2}\))?$/iu;

/**
 * A plain-text article. The seed format is
 *
 *   Thứ sáu,  01/03/2024        ← weekday and date (dd/mm/yyyy)
 *   <title>
 *   <teaser ending in "...">    ← lead + caption + body start squashed together: dropped
 *   <body, one paragraph a line, photo captions on their own lines>
 *   <author>
 *
 * Without the date line the first line is the title and the rest the body (no date).
 * Captions, the teaser, the by-line and the dateline tag are told apart by `shapePlainText`.
 *
 * @example
 *   parseTextArticle(await readFile("corpus/000_354ed7ee8145b694.txt", "utf8"),
 *     { id: "000_354ed7ee8145b694", source: "000_354ed7ee8145b694.txt" });
 */
export function parseTextArticle(text: string, from: SingleSource): Article {
  const lines = cleanLines(text);
  if (lines.length === 0) throw new ArticleParseError(from.source, "the file is empty");
  const dated = DATE_LINE.test(lines[0]!);
  const publishedAt = dated ? parseDate(lines[0]!) : null;
  const [title = "", ...rest] = dated ? lines.slice(1) : lines;
  const shaped = shapePlainText(rest, { title });
  return makeArticle({
    id: from.id,
    title,
    publishedAt,
    author: shaped.author,
    body: shaped.paragraphs,
    captions: shaped.captions,
    source: from.source,
  });
}
