import { cleanLine, squash } from "./text";

/**
 * Heuristics for plain text, where a paragraph is a line and nothing marks what is a caption,
 * a teaser, a dateline or a by-line. Shared by the .txt and JSON/JSONL loaders, and exported
 * one by one so each rule can be tested (and reused by later URL ingestion).
 */

/** What a line of body text ends with when it is a sentence (or a quote) rather than a label. */
const SENTENCE_END = /[.!?…:;"'”’»]$/u;
/** A photo credit: "(Ảnh: Reuters).", "… - Ảnh: Đỗ Linh", "(Ảnh minh hoạ)". */
const PHOTO_CREDIT =
  /(?:\(\s*(?:ảnh|nguồn ảnh|photo)(?:\s+minh\s+(?:họa|hoạ))?\s*(?::[^()]{0,80})?\)|(?:^|[\s.–-])(?:ảnh|nguồn ảnh|photo)\s*:\s*[^.!?()]{1,60})\s*\.?$/iu;
/** A paper's dateline tag glued to the first word: "LSO-Từ năm…", "TTO - Sáng nay…". */
const DATELINE_TAG = /^\p{Lu}{2,6}\s?[-–]\s?(?=\p{Lu}\p{Ll})/u;

/** Captions are short: under this many characters and at most `CAPTION_MAX_WORDS` words. */
export const CAPTION_MAX_CHARS = 160;
export const CAPTION_MAX_WORDS = 25;
/** A caption carrying a photo credit may be longer, up to this. */
export const CREDITED_CAPTION_MAX_CHARS = 400;
export const AUTHOR_MAX_WORDS = 6;
export const TITLE_MAX_CHARS = 90;

function wordCount(line: string): number {
  return line.split(" ").filter((w) => w.length > 0).length;
}

/**
 * A line that reads like a photo caption (or a sub-heading): short and without sentence
 * punctuation at the end, or ending with a photo credit. Such lines are not quoted as sentences.
 */
export function isCaptionLike(line: string): boolean {
  if (!/\p{L}/u.test(line)) return false;
  // The credit is at the end and short: test the tail only (this runs on every line of a corpus).
  if (line.length <= CREDITED_CAPTION_MAX_CHARS && PHOTO_CREDIT.test(line.slice(-120))) return true;
  return line.length < CAPTION_MAX_CHARS && wordCount(line) <= CAPTION_MAX_WORDS && !SENTENCE_END.test(line);
}

/** A by-line: a capitalised name of at most six words, no digits, no sentence punctuation. */
export function isAuthorLine(line: string): boolean {
  return (
    /^\p{Lu}/u.test(line) &&
    wordCount(line) <= AUTHOR_MAX_WORDS &&
    !/\d/.test(line) &&
    !SENTENCE_END.test(line) &&
    !/[.!?…]\s/u.test(line)
  );
}

/**
 * True when `line` is a teaser of `rest`: it ends in "..." or "…" and, ignoring whitespace and
 * those trailing dots, the text that follows starts with it. Some sources squash lead, caption
 * and body start into such a line ("…tỉnh.Một buổi sinh hoạt…Ngay sau khi...").
 */
export function isTeaserOf(line: string, rest: string): boolean {
  if (!/(?:\.\.\.|…)$/u.test(line)) return false;
  const teaser = squash(line).replace(/[.…]+$/u, "");
  return teaser.length >= 20 && squash(rest).startsWith(teaser);
}

/** Removes a dateline tag ("LSO-") from the start of a paragraph. */
export function stripDateline(paragraph: string): string {
  return paragraph.replace(DATELINE_TAG, "");
}

/**
 * A headline for text that has none: the first sentence, cut at a word boundary to at most
 * `maxChars` characters (an ellipsis marks the cut), without a final full stop.
 */
export function titleFromText(text: string, maxChars = TITLE_MAX_CHARS): string {
  const line = cleanLine(text.split("\n").find((l) => l.trim().length > 0) ?? "");
  const sentence = firstSentence(line).replace(/(?<!\.)\.$/, "");
  if (sentence.length <= maxChars) return sentence;
  const room = sentence.slice(0, maxChars - 1);
  const space = room.lastIndexOf(" ");
  const cut = (space > maxChars / 3 ? room.slice(0, space) : room).replace(/[\s,;:–—-]+$/u, "");
  return `${cut}…`;
}

// A sentence ends at . ! ? … (plus closing quotes) followed by a space and a capital, or the end.
const SENTENCE_BREAK = /[.!?…]+["'”’»)]*(?=\s+["“'‘«(]?\p{Lu}|\s*$)/gu;

function firstSentence(line: string): string {
  for (const m of line.matchAll(SENTENCE_BREAK)) {
    // "TP. Hồ Chí Minh", "PGS. TS": a short all-caps word before a dot is an abbreviation.
    const before = line.slice(0, m.index).split(" ").pop() ?? "";
    if (m[0] === "." && /^\p{Lu}{1,3}$/u.test(before)) continue;
    return line.slice(0, m.index + m[0].length);
  }
  return line;
}

/** The parts of a plain-text article that `shapePlainText` tells apart. */
export interface PlainText {
  title: string | null;
  author: string | null;
  paragraphs: string[];
  captions: string[];
}

/**
 * Sorts the cleaned lines of a plain-text article into body paragraphs, captions, a by-line and
 * a title. Steps, in order:
 *  1. re-join hard-wrapped lines (a line without final punctuation followed by a lower-case start);
 *  2. drop repeats of the title and a leading teaser (`isTeaserOf`);
 *  3. without a known author, take a last `isAuthorLine` as the author;
 *  4. move `isCaptionLike` lines to captions;
 *  5. strip a dateline tag from the first paragraph;
 *  6. without a known title, derive one (`titleFromText`).
 * Steps 3 and 4 never empty the body: when they would, the lines stay body text.
 */
export function shapePlainText(
  lines: readonly string[],
  known: { title?: string | null; author?: string | null } = {},
): PlainText {
  let paragraphs = unwrap(lines.map(cleanLine).filter((l) => l.length > 0));
  const title = known.title ? cleanLine(known.title) : null;

  // A repeat of the headline is not body text (wherever it is, as long as something else is left).
  if (title && paragraphs.some((p) => p !== title)) paragraphs = paragraphs.filter((p) => p !== title);
  if (paragraphs.length > 1 && isTeaserOf(paragraphs[0]!, paragraphs.slice(1).join("\n"))) {
    paragraphs = paragraphs.slice(1);
  }

  let author = known.author ? cleanLine(known.author) || null : null;
  const last = paragraphs.at(-1);
  if (!author && paragraphs.length > 1 && last !== undefined && isAuthorLine(last)) {
    author = last;
    paragraphs = paragraphs.slice(0, -1);
  }

  const captions: string[] = [];
  const text: string[] = [];
  for (const p of paragraphs) (isCaptionLike(p) ? captions : text).push(p);
  if (text.length > 0) paragraphs = text;
  const kept = text.length > 0 ? captions : [];

  if (paragraphs.length > 0) {
    const first = stripDateline(paragraphs[0]!);
    paragraphs = first ? [first, ...paragraphs.slice(1)] : paragraphs.slice(1);
  }
  return {
    title: title ?? (paragraphs.length > 0 ? titleFromText(paragraphs[0]!) : null),
    author,
    paragraphs,
    captions: kept,
  };
}

/**
 * Joins hard-wrapped lines: "…của Ban Chấp" + "hành Đảng bộ tỉnh." → one paragraph. Linear:
 * the lines of a paragraph are collected and joined once, and only the last line decides
 * whether the next one continues it (testing the growing paragraph with an end-anchored
 * pattern rescanned it for every line: 100,000 short lines took minutes).
 */
function unwrap(lines: string[]): string[] {
  const out: string[] = [];
  let paragraph: string[] = [];
  for (const line of lines) {
    const previous = paragraph.at(-1);
    if (previous === undefined || !/^\p{Ll}/u.test(line) || SENTENCE_END.test(previous)) {
      if (paragraph.length > 0) out.push(paragraph.join(" "));
      paragraph = [];
    }
    paragraph.push(line);
  }
  if (paragraph.length > 0) out.push(paragraph.join(" "));
  return out;
}
