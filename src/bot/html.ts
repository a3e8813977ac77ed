/**
 * Text → Telegram HTML primitives: escaping, highlighting the matched terms, shortening a quote at
 * a boundary. Pure. Every other formatter builds on these, so article text is escaped in one place.
 */
import type { Answer, AnswerPart } from "../domain/types";
import { isStopword } from "../text/stopwords";
import { fold, hasDiacritics, tokenize, type Token } from "../text/vietnamese";

export const ELLIPSIS = "…";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes text for Telegram HTML, in element content and in double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);
}

// ── Highlighting ──────────────────────────────────────────────────────────────────────────────

export interface HighlightOptions {
  /** Match "Huu Lung" to "Hữu Lũng": on when the question was typed without diacritics. */
  accentInsensitive?: boolean;
  /**
   * The question. A question word next to a highlighted syllable is highlighted with it when the
   * two stand side by side in the question too: "An Giang" (Telegram would otherwise show "An
   * <b>Giang</b>", "an" being an English stopword), but not "lúa là".
   */
  question?: string;
}

/** Text → escaped HTML with the matched terms in <b>. */
export type Highlighter = (text: string) => string;

/**
 * Builds a highlighter for the query terms an answer matched. Syllables are compared
 * case-insensitively (and accent-insensitively when asked); question words such as "là" or
 * "bao nhiêu" are left plain unless they are all the question has. Adjacent bold syllables
 * share one <b> ("<b>Hữu Lũng</b>", not "<b>Hữu</b> <b>Lũng</b>").
 *
 * @example
 * makeHighlighter(["hữu", "lũng"])("Huyện Hữu Lũng & Lạng Sơn") // "Huyện <b>Hữu Lũng</b> &amp; Lạng Sơn"
 */
export function makeHighlighter(terms: string[], options: HighlightOptions = {}): Highlighter {
  const accentInsensitive = options.accentInsensitive ?? false;
  const key = accentInsensitive ? fold : (s: string) => s.toLowerCase();
  const syllables = [...new Set(terms.flatMap((t) => tokenize(t.replace(/_/g, " ")).map((tok) => tok.term)))];
  const topical = syllables.filter((s) => !isStopword(s, accentInsensitive));
  const strong = new Set((topical.length > 0 ? topical : syllables).map(key));
  const weak = new Set(syllables.map(key).filter((s) => !strong.has(s)));
  const questionPairs = new Set(spacedPairs(options.question ?? "").map(([a, b]) => `${key(a.term)} ${key(b.term)}`));
  if (strong.size === 0) return escapeHtml;

  return (text: string) => {
    const tokens = tokenize(text);
    const bold = tokens.map((t) => strong.has(key(t.term)));
    // A question word joins a bold neighbour when the two also stand side by side in the question.
    // Left to right, then right to left, so that a chain ("ở An Giang") is joined from either end.
    const joinsNeighbour = (i: number, j: number): boolean => {
      const [a, b] = i < j ? [tokens[i], tokens[j]] : [tokens[j], tokens[i]];
      return bold[j] === true && !!a && !!b && spaced(text, a, b) && questionPairs.has(`${key(a.term)} ${key(b.term)}`);
    };
    const isWeak = (i: number) => !bold[i] && weak.has(key(tokens[i]!.term));
    for (let i = 0; i < tokens.length; i++) if (isWeak(i) && (joinsNeighbour(i, i - 1) || joinsNeighbour(i, i + 1))) bold[i] = true;
    for (let i = tokens.length - 1; i >= 0; i--) if (isWeak(i) && joinsNeighbour(i, i + 1)) bold[i] = true;

    let html = "";
    let plainFrom = 0;
    let run: { start: number; end: number } | null = null;
    const flush = () => {
      if (!run) return;
      html += escapeHtml(text.slice(plainFrom, run.start)) + `<b>${escapeHtml(text.slice(run.start, run.end))}</b>`;
      plainFrom = run.end;
      run = null;
    };
    tokens.forEach((token, i) => {
      if (!bold[i]) return;
      if (run && spaced(text, { end: run.end }, token)) run.end = token.end;
      else {
        flush();
        run = { start: token.start, end: token.end };
      }
    });
    flush();
    return html + escapeHtml(text.slice(plainFrom));
  };
}

/** Two tokens separated only by spaces (not a line break, not punctuation). */
function spaced(text: string, a: { end: number }, b: { start: number }): boolean {
  return /^[^\S\n]+$/.test(text.slice(a.end, b.start));
}

function spacedPairs(text: string): Array<[Token, Token]> {
  const tokens = tokenize(text);
  const pairs: Array<[Token, Token]> = [];
  for (let i = 1; i < tokens.length; i++) if (spaced(text, tokens[i - 1]!, tokens[i]!)) pairs.push([tokens[i - 1]!, tokens[i]!]);
  return pairs;
}

/** One-off form of {@link makeHighlighter}. */
export function highlight(text: string, terms: string[], options: HighlightOptions = {}): string {
  return makeHighlighter(terms, options)(text);
}

/** The highlighter for an answer: accent-insensitive when the question had no diacritics. */
export function answerHighlighter(answer: Pick<Answer, "question" | "matchedTerms">): Highlighter {
  return makeHighlighter(answer.matchedTerms, { accentInsensitive: !hasDiacritics(answer.question), question: answer.question });
}

// ── Emphasis from the reader's spans ──────────────────────────────────────────────────────────

/** A range of a quote to show in a tag, offsets relative to the quote's text. */
export interface Emphasis {
  start: number;
  end: number;
  tag: "b" | "i";
}

/**
 * How a quote of an answer is emphasised: the words that answer the question in bold, the
 * question's own words (whole words) in italics; when the reader marked no answer (a "what is"
 * question), the question's words in bold, as a search result shows them.
 */
export function partEmphasis(part: Pick<AnswerPart, "quote" | "answerSpan" | "matches">): Emphasis[] {
  const offset = part.quote.start;
  const answer = part.answerSpan;
  const marks: Emphasis[] = answer ? [{ start: answer.start - offset, end: answer.end - offset, tag: "b" }] : [];
  for (const m of part.matches) {
    if (answer && m.start < answer.end && answer.start < m.end) continue;
    marks.push({ start: m.start - offset, end: m.end - offset, tag: answer ? "i" : "b" });
  }
  return marks.filter((m) => m.start >= 0 && m.end > m.start).sort((a, b) => a.start - b.start);
}

/**
 * Escaped HTML of `text` (a quote, or a verbatim prefix of it) with the given ranges in their
 * tags; ranges past the end of `text` are cut at it, overlapping ones after the first are dropped.
 */
export function emphasize(text: string, marks: Emphasis[]): string {
  let html = "";
  let from = 0;
  for (const mark of marks) {
    const start = Math.max(mark.start, from);
    const end = Math.min(mark.end, text.length);
    if (end <= start) continue;
    html += escapeHtml(text.slice(from, start)) + `<${mark.tag}>${escapeHtml(text.slice(start, end))}</${mark.tag}>`;
    from = end;
  }
  return html + escapeHtml(text.slice(from));
}

// ── Shortening ────────────────────────────────────────────────────────────────────────────────

/**
 * A verbatim prefix of `text` of at most `maxChars` characters, "…" included: cut after the
 * last sentence end that keeps at least half, else at the last space, else mid-word (never
 * inside a surrogate pair). `text` itself when it fits.
 */
export function shortenAtBoundary(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(0, maxChars - ELLIPSIS.length);
  if (room === 0) return maxChars >= ELLIPSIS.length ? ELLIPSIS : "";
  const minKeep = Math.floor(room / 2);
  let cut = -1;
  // A sentence end: punctuation (and closing quotes) followed by a space.
  const sentenceEnd = /[.!?…;]["'”’»)]*(?=\s)/g;
  for (const m of text.slice(0, room + 1).matchAll(sentenceEnd)) {
    const end = m.index + m[0].length;
    if (end <= room && end >= minKeep) cut = end;
  }
  if (cut < 0) {
    for (let i = room; i >= minKeep; i--) {
      if (/\s/.test(text[i] ?? "")) {
        cut = i;
        break;
      }
    }
  }
  if (cut < 0) {
    cut = room;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
  }
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** What a reply repeats of the user's own input: enough to recognise it, never enough to matter. */
export const ECHO_MAX_CHARS = 80;

/**
 * The user's input as a reply repeats it ("No source «…»"): on one line, shortened to
 * `ECHO_MAX_CHARS`, escaped. A command argument may be 4,000 characters, and repeated whole
 * (escaped, inside a template) the reply is over Telegram's 4,096-character limit and rejected, so
 * the user gets nothing at all. Every echo of input goes through here.
 */
export function echoInput(input: string): string {
  return escapeHtml(shortenAtBoundary(input.replace(/\s+/g, " "), ECHO_MAX_CHARS));
}
