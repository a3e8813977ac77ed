/**
 * The admin features' replies as Telegram HTML: refusals, re-index progress and summary, article
 * cards, feeds, statistics. Pure: no grammY, no I/O.
 *
 * As in `format.ts`, everything that comes from outside (titles, URLs, ids, file names, reasons)
 * goes through `escapeHtml`, shortened first, so every reply parses and stays within
 * `MESSAGE_LIMIT` whatever the corpus or the error says.
 */
import path from "node:path";
import type { AdminResult, AdminStats, ArticleSummary, ReindexSummary } from "../admin";
import type { ReindexStatus } from "../app";
import type { Language } from "../domain/types";
import type { BuildProgress } from "../store";
import { formatDate, MESSAGE_LIMIT, splitMessages, titleHtml } from "./format";
import { escapeHtml, shortenAtBoundary } from "./html";
import type { BuildSpeedView } from "./progress-message";
import { uiStrings } from "./strings";

/** A reason or error text from the service: enough to act on, never a wall of text. */
const REASON_MAX_CHARS = 600;
/** Skipped files listed in a re-index summary; the rest are counted. */
const SKIPPED_SHOWN = 10;
const SKIPPED_LINE_MAX_CHARS = 240;
/** Articles listed after an upload; the rest are counted. */
const ARTICLES_SHOWN = 5;
const FIRST_LINES_MAX_CHARS = 400;

// ── Numbers ──────────────────────────────────────────────────────────────────────────────────

const LOCALES: Record<Language, string> = { vi: "vi-VN", en: "en-US" };

export function formatNumber(n: number, language: Language, fractionDigits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: fractionDigits }).format(n);
}

/** `850 ms`, `3,2 giây`, `1 min 20 s`, `2 h 5 min`. */
export function formatDuration(ms: number, language: Language): string {
  const u = uiStrings(language).admin.units;
  if (ms < 1000) return `${Math.round(ms)} ${u.ms}`;
  if (ms < 9950) return `${formatNumber(ms / 1000, language, 1)} ${u.s}`;
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} ${u.s}`;
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} ${u.h} ${min} ${u.min}` : `${min} ${u.min} ${s} ${u.s}`;
}

/** `512 B`, `1,2 KB`, `3.4 MB` (powers of 1024). */
export function formatBytes(bytes: number, language: Language): string {
  const units = [uiStrings(language).admin.units.bytes, "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, language, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatPercent(rate: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language], { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

/** An ISO date-time as `01/03/2024 10:20 UTC` (vi) or `2024-03-01 10:20 UTC` (en). */
export function formatTimestamp(iso: string, language: Language): string {
  const time = /T(\d{2}:\d{2})/.exec(iso)?.[1];
  return time ? `${formatDate(iso, language)} ${time} UTC` : formatDate(iso, language);
}

/** Escaped and shortened: for reasons, file names and other text from outside. */
function text(value: string, maxChars = REASON_MAX_CHARS): string {
  return escapeHtml(shortenAtBoundary(value, maxChars));
}

// ── Results ──────────────────────────────────────────────────────────────────────────────────

/** A refusal or an error, localised by its code; the service's reason follows as the detail. */
export function formatNotDone(result: Exclude<AdminResult<unknown>, { status: "ok" }>, language: Language): string {
  const t = uiStrings(language).admin;
  if (result.status === "error") return t.failed(text(result.reason));
  // "not-admin" needs no detail; the others say exactly what was wrong (a line number, a limit).
  const detail = result.code === "not-admin" ? "" : text(result.reason);
  return t.refused(t.refusals[result.code], detail);
}

// ── /reindex ─────────────────────────────────────────────────────────────────────────────────

export interface ProgressView {
  full: boolean;
  /** Null until the first report (the re-index may wait behind earlier changes). */
  progress: BuildProgress | null;
  speed: BuildSpeedView;
}

/** The progress message: phase, articles done/total, passages, passages/s and time left. */
export function formatProgress(view: ProgressView, language: Language): string {
  const t = uiStrings(language).admin;
  const p = view.progress;
  const phase = p ? t.phases[p.phase] : t.phases.waiting;
  const articles = p ? `${p.articlesDone}/${p.articlesTotal}` : "—";
  const passages = p && p.passagesTotal > 0 ? `${p.passagesDone}/${p.passagesTotal}` : "—";
  const speed = view.speed.passagesPerSecond === null ? "—" : formatNumber(view.speed.passagesPerSecond, language);
  const eta = view.speed.etaMs === null ? "—" : formatDuration(view.speed.etaMs, language);
  return `${t.reindexTitle(view.full)}\n${t.progress(phase, formatDuration(view.speed.elapsedMs, language), articles, passages, speed, eta)}`;
}

/** The progress message's last state, once the summary (or the error) is sent below it. */
export function formatProgressEnd(full: boolean, ok: boolean, language: Language): string {
  const t = uiStrings(language).admin;
  return ok ? t.progressDone(full) : t.progressFailed(full);
}

/**
 * The summary of a finished re-index: what changed, the totals, and the files left out with
 * their reasons (paths relative to the corpus folder).
 */
export function formatReindexSummary(summary: ReindexSummary, corpusDir: string, language: Language): string {
  const t = uiStrings(language).admin;
  const took = formatDuration(summary.totalMs, language);
  const lines = summary.written
    ? [
        t.reindexDone(took, summary.added, summary.updated, summary.removed, summary.unchanged),
        t.reindexTotals(summary.articles, summary.passages, summary.embedded),
      ]
    : [t.reindexUnchanged(took)];
  if (summary.skipped.length === 0) return lines.join("\n");
  lines.push("", t.skipped(summary.skipped.length));
  const skipped = summary.skipped
    .slice(0, SKIPPED_SHOWN)
    .map((skip) => `• <code>${text(relativeTo(corpusDir, skip.path), 120)}</code>: ${text(skip.reason, SKIPPED_LINE_MAX_CHARS)}`);
  return withItems(lines.join("\n"), "\n", skipped, summary.skipped.length, t.moreSkipped);
}

/**
 * `head`, then as many of `items` as fit one message, then "… and n more" for the `total - shown`
 * left out (shown or not). Items are whole: a list is never cut inside an entry.
 */
function withItems(head: string, separator: string, items: string[], total: number, more: (n: number) => string): string {
  let message = head;
  let shown = 0;
  for (const item of items) {
    const room = MESSAGE_LIMIT - (total > shown + 1 ? more(total).length + separator.length : 0);
    if (message.length + separator.length + item.length > room) break;
    message += separator + item;
    shown++;
  }
  return shown < total ? message + separator + more(total - shown) : message;
}

export function formatReindexFailure(reason: string, language: Language): string {
  return uiStrings(language).admin.reindexFailed(text(reason));
}

/** "One is running (full, for 40 s): embedding, articles 120/500" — or queued, not started yet. */
export function formatReindexBusy(running: ReindexStatus | null, now: number, language: Language): string {
  const t = uiStrings(language).admin;
  if (!running) return t.reindexQueued;
  const p = running.progress;
  return t.reindexBusy(
    running.full,
    formatDuration(now - running.startedAt, language),
    p ? t.phases[p.phase] : t.phases.waiting,
    p ? `${p.articlesDone}/${p.articlesTotal}` : "—",
  );
}

function relativeTo(dir: string, file: string): string {
  const relative = path.relative(dir, file);
  return !relative || relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

// ── Articles ─────────────────────────────────────────────────────────────────────────────────

/** An article after /add, /undelete or an upload: title (linked), id, date, author, first lines. */
export function formatArticleCard(article: ArticleSummary, language: Language, firstLinesMaxChars = FIRST_LINES_MAX_CHARS): string {
  const t = uiStrings(language).admin;
  const meta = [t.idLine(text(article.id, 200), formatDate(article.publishedAt, language))];
  if (article.author) meta.push(t.author(text(article.author, 100)));
  const lines = [`<b>${titleHtml(article.title, article.url)}</b>`, meta.join(" · ")];
  if (article.firstLines) lines.push(`<blockquote>${text(article.firstLines, firstLinesMaxChars)}</blockquote>`);
  return lines.join("\n");
}

export function formatAdded(value: { article: ArticleSummary; updated: boolean }, language: Language): string {
  const t = uiStrings(language).admin;
  return `${value.updated ? t.updated : t.added}\n${formatArticleCard(value.article, language)}`;
}

export function formatRestored(article: ArticleSummary, language: Language): string {
  return `${uiStrings(language).admin.restored}\n${formatArticleCard(article, language)}`;
}

export function formatUploaded(value: { source: string; articles: ArticleSummary[]; updated: boolean }, language: Language): string {
  const t = uiStrings(language).admin;
  const shown = value.articles.slice(0, ARTICLES_SHOWN);
  // Several cards share the message: each gets a shorter excerpt.
  const excerpt = shown.length > 1 ? 200 : FIRST_LINES_MAX_CHARS;
  const head = t.uploaded(text(value.source, 200), value.updated, value.articles.length);
  return withItems(head, "\n\n", shown.map((a) => formatArticleCard(a, language, excerpt)), value.articles.length, t.moreArticles);
}

export function formatDeleted(value: { id: string; title: string; trashed: string }, language: Language): string {
  return uiStrings(language).admin.deleted(text(value.id, 200), text(value.title, 300), text(value.trashed, 300));
}

// ── /feeds ───────────────────────────────────────────────────────────────────────────────────

export interface FeedLine {
  n: number;
  url: string;
  title: string | null;
  lastPolledAt: string | null;
  lastError: string | null;
  lastAdded: number;
}

/** The numbered feed list (`/feeds remove <n>` takes these numbers), in as many messages as it needs. */
export function formatFeeds(feeds: FeedLine[], language: Language): string[] {
  const t = uiStrings(language).admin;
  if (feeds.length === 0) return [t.feedsEmpty];
  const lines = feeds.map((feed) => {
    const state = feed.lastPolledAt ? t.feedPolled(formatTimestamp(feed.lastPolledAt, language), feed.lastAdded) : t.feedNeverPolled;
    const error = feed.lastError ? ` · ${t.feedError(text(feed.lastError, 150))}` : "";
    return `${feed.n}. ${feedTitle(feed)} — ${state}${error}`;
  });
  return splitMessages([t.feedsHeader(feeds.length), ...lines]);
}

/** The feed's title linked to its URL, or the URL; at most ~1,000 characters of HTML. */
function feedTitle(feed: { url: string; title: string | null }): string {
  return feed.title && feed.url.length <= 300 ? titleHtml(shortenAtBoundary(feed.title, 150), feed.url) : text(feed.url, 150);
}

export function formatFeedAdded(value: { n: number; url: string; title: string | null; items: number; existed: boolean }, language: Language): string {
  const t = uiStrings(language).admin;
  const title = feedTitle(value);
  return value.existed ? t.feedExists(value.n, title) : t.feedAdded(value.n, title, value.items);
}

export function formatFeedRemoved(url: string, language: Language): string {
  return uiStrings(language).admin.feedRemoved(text(url, 500));
}

// ── /stats, /reload ──────────────────────────────────────────────────────────────────────────

/**
 * `/stats`: the index (articles, passages, size on disk, model, dense on/off, build time), the last
 * ingest, today's questions with latency percentiles and not-found rate, the feeds, and the
 * re-index in progress if any.
 */
export function formatStats(stats: AdminStats, language: Language): string {
  const base = uiStrings(language);
  const t = base.admin;
  const dense = stats.denseOn ? base.denseOn : base.denseOff(text(stats.denseOffReason ?? "—", 200));
  const ingest = stats.lastIngest;
  const lines = [
    t.statsIndex(stats.articles, stats.passages, formatBytes(stats.indexBytes, language)),
    t.statsModel(text(stats.model, 200), dense),
    t.statsBuilt(formatTimestamp(stats.builtAt, language)),
    ingest
      ? t.statsLastIngest(
          formatTimestamp(ingest.at, language),
          formatDuration(ingest.ms, language),
          ingest.ok
            ? t.ingestOk(ingest.summary?.added ?? 0, ingest.summary?.updated ?? 0, ingest.summary?.removed ?? 0)
            : t.ingestFailed(text(ingest.error ?? "—", 300)),
        )
      : t.statsNoIngest,
    t.statsQuestions(stats.questionsToday, formatPercent(stats.notFoundRate, language)),
    t.statsLatency(formatDuration(stats.latencyP50Ms, language), formatDuration(stats.latencyP95Ms, language)),
    t.statsFeeds(stats.feeds),
  ];
  const p = stats.reindex?.progress;
  if (stats.reindex) lines.push(t.statsReindex(p ? t.phases[p.phase] : t.phases.waiting, p ? `${p.articlesDone}/${p.articlesTotal}` : "—"));
  return t.stats(lines);
}

export function formatReloaded(status: { articles: number; passages: number; builtAt: string }, language: Language): string {
  return uiStrings(language).admin.reloaded(status.articles, status.passages, formatTimestamp(status.builtAt, language));
}

export function formatReloadFailure(reason: string, language: Language): string {
  return uiStrings(language).admin.reloadFailed(text(reason));
}
