/**
 * Answer, source and search views as Telegram HTML. Pure: no grammY, no I/O.
 *
 * Two rules hold for every function here, and the tests check them for all inputs:
 * - every piece of article text (title, body, author, URL) goes through `escapeHtml`, so the
 *   output always parses as Telegram HTML with balanced tags;
 * - no message is longer than `MESSAGE_LIMIT` characters. Long answers are split between blocks
 *   (a quote and its [n], a source line), never inside a tag or a quote; a single quote too long
 *   for one message is shortened at a sentence or word boundary and ends with "…" (it is then a
 *   verbatim prefix of the sentence, not the whole sentence).
 */
import { strings as answerStrings } from "../answer";
import { chunkText } from "../chunk";
import type { Answer, Article, Citation, Language, ScoredChunk, Span } from "../domain/types";
import { hasDiacritics } from "../text/vietnamese";
import { echoInput, ELLIPSIS, emphasize, escapeHtml, makeHighlighter, partEmphasis, shortenAtBoundary, type Highlighter } from "./html";
import { uiStrings } from "./strings";

/** Telegram's limit on a message's text, in characters. We hold the HTML source to it (stricter). */
export const MESSAGE_LIMIT = 4096;
/** Titles longer than this are shortened in views (a feed can carry a whole lead in the title). */
const TITLE_MAX_CHARS = 300;
/** Inline keyboard labels: Telegram cuts long ones on phones; keep them readable. */
const BUTTON_LABEL_MAX_CHARS = 40;

/** Plain-text label for a button: shortened, without HTML (buttons are not parsed). */
export function buttonLabel(prefix: string, title: string): string {
  return shortenAtBoundary(`${prefix} ${title}`.replace(/\s+/g, " ").trim(), BUTTON_LABEL_MAX_CHARS);
}

/**
 * Renders with a shrinking text budget until the HTML fits `limit`. `render(budget)` must get
 * shorter as the budget does; a budget of 0 is the smallest form.
 */
function fitToLimit(initialBudget: number, limit: number, render: (budget: number) => string): string {
  let budget = initialBudget;
  let html = render(budget);
  while (html.length > limit && budget > 0) {
    // Escaping and tags grow the text roughly in proportion: scale the budget down by the overflow.
    budget = Math.max(0, Math.min(budget - 1, Math.floor((budget * limit) / html.length)));
    html = render(budget);
  }
  return html;
}

// ── Small pieces ──────────────────────────────────────────────────────────────────────────────

/** `2024-03-01` → `01/03/2024` (vi) or `2024-03-01` (en); the undated word when null. */
export function formatDate(iso: string | null, language: Language): string {
  if (!iso) return uiStrings(language).noDate;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return escapeHtml(iso);
  return language === "vi" ? `${m[3]}/${m[2]}/${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
}

/** Only web links become <a href>: a `file:` or `javascript:` URL stays out of the message. */
function isWebUrl(url: string | null): url is string {
  return !!url && /^https?:\/\/\S+$/i.test(url);
}

/** The title, escaped and shortened, as a link when the article has a web URL. */
export function titleHtml(title: string, url: string | null): string {
  const text = escapeHtml(shortenAtBoundary(title, TITLE_MAX_CHARS));
  return isWebUrl(url) ? `<a href="${escapeHtml(url)}">${text}</a>` : text;
}

/** `[n] title — date`, the title linked to the article. */
export function sourceLine(citation: Citation, language: Language): string {
  return `[${citation.n}] ${titleHtml(citation.title, citation.url)} — ${formatDate(citation.publishedAt, language)}`;
}

/** `<blockquote>quote</blockquote>[n]`, the quote shortened if the block would not fit `limit`. */
export function quoteBlock(text: string, marker: string, hl: Highlighter, limit = MESSAGE_LIMIT): string {
  return fitToLimit(text.length, limit, (budget) => `<blockquote>${hl(shortenAtBoundary(text, budget))}</blockquote>${marker}`);
}

// ── Splitting ─────────────────────────────────────────────────────────────────────────────────

/**
 * Packs whole blocks into as few messages as possible, each at most `limit` characters.
 * A block is never cut: every block must fit on its own (a RangeError says which does not).
 */
export function splitMessages(blocks: string[], limit = MESSAGE_LIMIT, separator = "\n"): string[] {
  const messages: string[] = [];
  let current = "";
  for (const block of blocks) {
    if (block.length > limit) throw new RangeError(`a block of ${block.length} characters cannot fit a ${limit}-character message`);
    const candidate = current ? current + separator + block : block;
    if (candidate.length <= limit) current = candidate;
    else {
      messages.push(current);
      current = block;
    }
  }
  if (current) messages.push(current);
  return messages.map((m) => m.trim()).filter((m) => m.length > 0);
}

// ── Answer ────────────────────────────────────────────────────────────────────────────────────

/**
 * The answer as one or more messages: each quote in a blockquote, the words that answer in bold
 * and its [n] at its end, then the sources list. The last message carries the sources (and, in
 * the bot, the keyboard).
 */
export function formatAnswer(answer: Answer, language: Language, limit = MESSAGE_LIMIT): string[] {
  if (answer.notFound) return [formatNotFound(answer, language)];
  const t = uiStrings(language);
  const quotes = answer.parts.map((part) => {
    const marks = partEmphasis(part);
    return quoteBlock(part.quote.text, "", (shown) => `${emphasize(shown, marks)} [${part.citation}]`, limit);
  });
  // A question about now is answered from articles that may be older: the reply says how old first.
  if (answer.asOf) quotes.unshift(`<i>${escapeHtml(answerStrings(language).asOf(formatDate(answer.asOf, language)))}</i>`);
  // The sources list stays in one piece (with its header) when it fits a message, which it does
  // unless titles are extreme; otherwise the header travels with the first line at least.
  const lines = answer.citations.map((c) => sourceLine(c, language));
  const whole = `\n<b>${t.sources}</b>\n${lines.join("\n")}`;
  const [first, ...rest] = lines;
  const sources = first === undefined ? [] : whole.length <= limit ? [whole] : [`\n<b>${t.sources}</b>\n${first}`, ...rest];
  return splitMessages([...quotes, ...sources], limit);
}

/** The plain "no answer in the corpus" sentence; the nearest headlines go on buttons. */
export function formatNotFound(answer: Pick<Answer, "suggestions" | "outdated">, language: Language): string {
  const t = answerStrings(language);
  const text = escapeHtml(answer.outdated ? t.outdated(formatDate(answer.outdated, language)) : t.notFound);
  return answer.suggestions.length > 0 ? `${text}\n\n${uiStrings(language).nearest}` : text;
}

// ── Passages ("More results") ─────────────────────────────────────────────────────────────────

export interface PassagesPage {
  hits: ScoredChunk[];
  /** The number shown before the first passage of this page (1-based, continuing across pages). */
  firstNumber: number;
  page: number;
  pages: number;
}

/** A page of further passages: number, title, date, and the passage with its terms in bold. */
export function formatPassagesPage(view: PassagesPage, hl: Highlighter, language: Language, limit = MESSAGE_LIMIT): string {
  const t = uiStrings(language);
  const header = `<b>${t.morePage(view.page, view.pages)}</b>`;
  const share = Math.floor((limit - header.length) / Math.max(1, view.hits.length)) - 2;
  const blocks = view.hits.map((hit, i) => {
    const head = `<b>${view.firstNumber + i}.</b> ${titleHtml(hit.article.title, hit.article.url)} — ${formatDate(hit.article.publishedAt, language)}\n`;
    return head + quoteBlock(chunkText(hit.article, hit.chunk), "", hl, Math.max(0, share - head.length));
  });
  return [header, ...blocks].join("\n\n");
}

// ── Source and article views ──────────────────────────────────────────────────────────────────

export interface SourceView {
  article: Article;
  /** Ranges shown in bold (the quotes); the paragraphs around them are shown. */
  bold: Span[];
  /** Highlights the text outside the bold ranges (used for passages, which have no quote). */
  highlighter?: Highlighter;
  /** Show the paragraphs around these ranges when `bold` is empty (a passage). */
  around?: Span[];
}

/** Title, date, author and link, then the paragraphs around the quote with the quote in bold. */
export function formatSourceView(view: SourceView, language: Language, limit = MESSAGE_LIMIT): string {
  const { article } = view;
  const head = articleHeader(article, language);
  const anchors = view.bold.length > 0 ? view.bold : (view.around ?? []);
  const paragraphs = anchors.length > 0 ? paragraphsAround(article.body, anchors) : [leadRange(article.body)];
  const hl = view.highlighter ?? escapeHtml;
  const room = limit - head.length - 2;
  const body = fitToLimit(article.body.length, room, (budget) => {
    const each = Math.floor(budget / paragraphs.length);
    return paragraphs
      .map((p) => renderExcerpt(article.body, p, view.bold, each, hl))
      .filter(Boolean)
      .join("\n\n");
  });
  return body ? `${head}\n\n${body}` : head;
}

/** An article without a quote (a suggested headline, `/source <id>`): header and the lead. */
export function formatArticleView(article: Article, language: Language, limit = MESSAGE_LIMIT): string {
  return formatSourceView({ article, bold: [] }, language, limit);
}

function articleHeader(article: Article, language: Language): string {
  const t = uiStrings(language);
  const lines = [`<b>${escapeHtml(shortenAtBoundary(article.title, TITLE_MAX_CHARS))}</b>`];
  const meta = [formatDate(article.publishedAt, language)];
  if (article.author) meta.push(`${t.author}: ${escapeHtml(shortenAtBoundary(article.author, 100))}`);
  lines.push(meta.join(" · "));
  if (isWebUrl(article.url)) lines.push(`<a href="${escapeHtml(article.url)}">${t.openArticle}</a>`);
  return lines.join("\n");
}

/** The paragraphs (`\n`-separated) that contain the given ranges, merged, in order. */
export function paragraphsAround(body: string, spans: Span[]): Span[] {
  const ranges = spans
    .map((s) => ({ start: body.lastIndexOf("\n", Math.max(0, s.start - 1)) + 1, end: endOfParagraph(body, s.end) }))
    .map((r) => (r.start > r.end ? { start: r.end, end: r.end } : r))
    .sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

function endOfParagraph(body: string, from: number): number {
  const at = body.indexOf("\n", Math.max(0, from));
  return at < 0 ? body.length : at;
}

function leadRange(body: string): Span {
  return { start: 0, end: body.length };
}

/**
 * The text of `range` with the `bold` ranges inside it in <b>, at most about `maxChars`
 * characters of text: a window around the bold ranges, cut at spaces, with "…" where cut.
 */
function renderExcerpt(body: string, range: Span, bold: Span[], maxChars: number, hl: Highlighter): string {
  const inside = bold.filter((b) => b.end > range.start && b.start < range.end);
  let start = range.start;
  let end = range.end;
  if (end - start > maxChars) {
    const coreStart = inside.length ? Math.max(range.start, Math.min(...inside.map((b) => b.start))) : range.start;
    const coreEnd = inside.length ? Math.min(range.end, Math.max(...inside.map((b) => b.end))) : range.start;
    const room = Math.max(0, maxChars - 2);
    if (coreEnd - coreStart >= room) {
      start = coreStart;
      end = coreStart + room;
    } else {
      const pad = Math.floor((room - (coreEnd - coreStart)) / 2);
      start = Math.max(range.start, coreStart - pad);
      end = Math.min(range.end, coreEnd + pad);
      // Give the room one side could not use to the other.
      if (start === range.start) end = Math.min(range.end, start + room);
      else if (end === range.end) start = Math.max(range.start, end - room);
    }
    // Cut at spaces, not inside a word, when a space is near.
    if (start > range.start) {
      const space = body.indexOf(" ", start);
      if (space >= 0 && space < Math.min(end, start + 30)) start = space + 1;
    }
    if (end < range.end) {
      const space = body.lastIndexOf(" ", end);
      if (space > Math.max(start, end - 30)) end = space;
    }
    const code = body.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
  }
  if (end <= start) return "";
  let html = start > range.start ? ELLIPSIS : "";
  let at = start;
  for (const b of inside) {
    const bs = Math.max(b.start, at);
    const be = Math.min(b.end, end);
    if (be <= bs) continue;
    html += hl(body.slice(at, bs)) + `<b>${escapeHtml(body.slice(bs, be))}</b>`;
    at = be;
  }
  html += hl(body.slice(at, end));
  return html + (end < range.end ? ELLIPSIS : "");
}

// ── Staff search ──────────────────────────────────────────────────────────────────────────────

const score = (x: number | null) => (x === null ? "—" : x.toFixed(3));

/**
 * `/search`: the top passages as retrieved, no summarising: rank, article id, chunk ordinal,
 * offsets `[start–end)`, fused/lexical/dense scores, title, date, and the passage text with its
 * matched terms in bold. Split between passages into as many messages as needed.
 */
export function formatSearchResults(query: string, hits: ScoredChunk[], language: Language, limit = MESSAGE_LIMIT): string[] {
  const t = uiStrings(language);
  const header = `<b>${t.searchHeader(echoInput(query))}</b>`;
  if (hits.length === 0) return [`${header}\n${t.noResults}`];
  const accentInsensitive = !hasDiacritics(query);
  const blocks = hits.map((hit, i) => {
    const { chunk, article } = hit;
    const head =
      `\n<b>${i + 1}.</b> <code>${escapeHtml(article.id)}</code> #${chunk.ordinal} [${chunk.start}–${chunk.end})\n` +
      `${t.scores(score(hit.score), score(hit.lexical), score(hit.dense))}\n` +
      `<i>${escapeHtml(shortenAtBoundary(article.title, TITLE_MAX_CHARS))}</i> — ${formatDate(article.publishedAt, language)}\n`;
    const hl = makeHighlighter(hit.matchedTerms, { accentInsensitive, question: query });
    return head + quoteBlock(chunkText(article, chunk), "", hl, limit - head.length);
  });
  return splitMessages([header, ...blocks], limit);
}

// ── Inline mode ───────────────────────────────────────────────────────────────────────────────

/** The message an inline result inserts: the quote, then "— title, date" linked to the article. */
export function formatInlineQuote(quote: string, citation: Citation, hl: Highlighter, language: Language, limit = MESSAGE_LIMIT): string {
  const credit = `\n— ${titleHtml(citation.title, citation.url)}, ${formatDate(citation.publishedAt, language)}`;
  return quoteBlock(quote, credit, hl, limit);
}
