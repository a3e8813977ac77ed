import type { Span } from "../domain/types";

/**
 * Sentence splitting for news text, in one linear pass.
 *
 * A sentence ends at ".", "!", "?", "…" or "..." (with any closing quotes or brackets after it)
 * when the next sentence visibly starts: after white space, a capital letter, a digit, an opening
 * quote or bracket, or a dialogue dash. Scraped text often loses the space ("…của Ban Chấp hành
 * Đảng bộ tỉnh.Một buổi…"), so a full stop directly followed by a capital also ends a sentence
 * when the word before it is an ordinary lower-case word. It does not end one:
 * - after an initial or a known abbreviation ("H. Sơn Hòa", "TP. Hồ Chí Minh", "PGS.TS. Nguyễn");
 * - inside a number ("3.500", "1,5") or an acronym written with dots ("TP.HCM");
 * - before a lower-case word ("… rồi đi tiếp", "ông nói: “được.” rồi đi").
 *
 * ICU's sentence rules (Intl.Segmenter), used before, let "…" before a capital run on (the seed
 * article had a 1,055-character "sentence"), split after every initial, and took seconds on a
 * paragraph of half a megabyte.
 */

/** A fragment this short ("Hết.", "Ảnh: TL.") is not a sentence: it joins its neighbour. */
const MIN_SENTENCE_CHARS = 12;
/**
 * A sentence longer than this (a paragraph without punctuation, a table flattened into text) is
 * cut at its last clause boundary (";", ":", ",") before the limit, else at a space: a quote must
 * fit a phone screen and a passage must stay a passage.
 */
export const MAX_SENTENCE_CHARS = 600;

/**
 * Words that end with a full stop without ending the sentence. Compared case-sensitively, so
 * that "Co." is an abbreviation but a sentence ending in "co." is not.
 */
const ABBREVIATIONS = new Set(
  (
    "TP Tp TX TT Q P X H Th ThS Ths PGS GS TS BS BSCKI BSCKII CKI CKII KS CN NCS NXB NSƯT NSND NGƯT TTƯT " +
    "Mr Mrs Ms Dr Prof St Sr Jr Co Corp Inc Ltd No Vol Fig vs etc Tr tr Ts Bs Gs Pgs"
  ).split(" "),
);

const TERMINAL = new Set([".", "!", "?", "…"]);
const CLOSERS = new Set(['"', "'", "”", "’", "»", ")", "]", "}"]);
const OPENERS = new Set(['"', "'", "“", "‘", "«", "(", "[", "-", "–", "—", "•", "*"]);

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
const isUpper = (ch: string | undefined) => ch !== undefined && /\p{Lu}/u.test(ch);
const isDigit = (ch: string | undefined) => ch !== undefined && /\p{N}/u.test(ch);
const isLetter = (ch: string | undefined) => ch !== undefined && /\p{L}/u.test(ch);

/**
 * Splits an article body into sentence spans. Spans never include surrounding white space and
 * never cross a paragraph ("\n"), so a quote is always a run of whole sentences of one paragraph,
 * exactly as printed. Linear in the length of the body.
 */
export function splitSentences(body: string): Span[] {
  const spans: Span[] = [];
  let paragraphStart = 0;
  while (paragraphStart <= body.length) {
    let paragraphEnd = body.indexOf("\n", paragraphStart);
    if (paragraphEnd < 0) paragraphEnd = body.length;
    splitParagraph(body, paragraphStart, paragraphEnd, spans);
    paragraphStart = paragraphEnd + 1;
  }
  return spans;
}

/** Appends the sentences of `body[from, to)` (one paragraph) to `out`. */
function splitParagraph(body: string, from: number, to: number, out: Span[]): void {
  const raw: Span[] = [];
  let start = from;
  let i = from;
  while (i < to) {
    const ch = body[i]!;
    const isDots = ch === "." && body[i + 1] === "." && body[i + 2] === ".";
    if (!TERMINAL.has(ch)) {
      i++;
      continue;
    }
    // The end of the punctuation run: "?!", "...", "…", then closing quotes and brackets.
    let end = i + 1;
    while (end < to && (TERMINAL.has(body[end]!) || CLOSERS.has(body[end]!))) end++;
    if (endsSentence(body, i, end, to, isDots || ch === "…")) {
      raw.push({ start, end });
      start = end;
    }
    i = end;
  }
  raw.push({ start, end: to });

  const first = out.length;
  let pending: Span | null = null;
  for (const span of raw) {
    const trimmed = trim(body, span);
    if (trimmed.end <= trimmed.start) continue;
    if (pending) pending.end = trimmed.end;
    else pending = trimmed;
    if (pending.end - pending.start >= MIN_SENTENCE_CHARS) {
      for (const piece of capLength(body, pending)) out.push(piece);
      pending = null;
    }
  }
  if (pending) {
    // A short tail ("Hết.") stays with the sentence before it when that is in this paragraph.
    const last = out.length > first ? out[out.length - 1]! : null;
    if (last && last.end - last.start + (pending.end - last.end) <= MAX_SENTENCE_CHARS) last.end = pending.end;
    else out.push(pending);
  }
}

/**
 * Whether the punctuation at `mark` (run ending at `end`) ends a sentence. `ellipsis` is "…" or
 * "...", which ends one only when a capital (or an opener) follows.
 */
function endsSentence(body: string, mark: number, end: number, to: number, ellipsis: boolean): boolean {
  if (end >= to) return true;
  const next = body[end]!;
  const word = wordBefore(body, mark);
  if (body[mark] === "." && !ellipsis && end === mark + 1) {
    // An initial, an abbreviation or a number: "H. Sơn", "TP. Hồ", "PGS.TS.", "3.500", "TP.HCM".
    if (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word)) return false;
    if (isDigit(body[mark - 1]) && isDigit(next)) return false;
  }
  if (isSpace(next)) {
    let k = end;
    while (k < to && isSpace(body[k])) k++;
    if (k >= to) return true;
    const after = body[k]!;
    return isUpper(after) || isDigit(after) || OPENERS.has(after);
  }
  // No space: only a full stop or an ellipsis glued to a capital, after an ordinary word
  // ("tỉnh.Một"), not inside an acronym ("TP.HCM", "U.S.A").
  if (!isUpper(next)) return false;
  if (ellipsis) return true;
  return body[mark] === "." && /\p{Ll}/u.test(word) && word.length >= 2 && !ABBREVIATIONS.has(word) && !hasUpperInside(word);
}

/** The letters immediately before `position` ("TS" in "PGS.TS."). */
function wordBefore(body: string, position: number): string {
  let k = position;
  while (k > 0 && isLetter(body[k - 1])) k--;
  return body.slice(k, position);
}

/** "ThS", "iPhone": a capital after the first letter, as abbreviations and brand names have. */
function hasUpperInside(word: string): boolean {
  return /\p{Lu}/u.test(word.slice(1));
}

function trim(body: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && isSpace(body[start])) start++;
  while (end > start && isSpace(body[end - 1])) end--;
  return { start, end };
}

/**
 * A sentence cut into pieces of at most MAX_SENTENCE_CHARS: at the last ";" or ":" in the second
 * half of the allowance, else the last ",", else the last space, else hard (never inside a
 * surrogate pair). Linear: each piece looks back over at most the allowance once.
 */
function capLength(body: string, span: Span): Span[] {
  if (span.end - span.start <= MAX_SENTENCE_CHARS) return [span];
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > MAX_SENTENCE_CHARS) {
    const limit = start + MAX_SENTENCE_CHARS;
    const floor = start + MAX_SENTENCE_CHARS / 2;
    let cut = lastBefore(body, limit, floor, (ch) => ch === ";" || ch === ":");
    if (cut < 0) cut = lastBefore(body, limit, floor, (ch) => ch === ",");
    if (cut < 0) cut = lastBefore(body, limit, start + 1, (ch) => isSpace(ch)) - 1;
    if (cut < start) {
      cut = limit - 1;
      const code = body.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff) cut--;
    }
    const piece = trim(body, { start, end: cut + 1 });
    if (piece.end > piece.start) pieces.push(piece);
    start = trim(body, { start: cut + 1, end: span.end }).start;
  }
  if (span.end > start) pieces.push({ start, end: span.end });
  return pieces;
}

/** The last index in [floor, limit) whose character passes `test`, or -1. */
function lastBefore(body: string, limit: number, floor: number, test: (ch: string) => boolean): number {
  for (let k = limit - 1; k >= floor; k--) if (test(body[k]!)) return k;
  return -1;
}
