import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import Parser from "rss-parser";
import type { Article } from "../domain/types";
import { makeArticle, parseDate, parseHtmlArticle, reasonOf, type HtmlOptions, type ParseSandbox } from "../ingest";
import type { Logger } from "../logger";
import { articleIdForUrl, CorpusFiles, writeAtomically } from "./corpus-files";
import { describeFailure } from "./explain";
import { FEED_TYPES, fetchArticlePage, fetchText, type FetchPageOptions } from "./fetch-page";

/**
 * RSS/Atom feeds: the list the admins keep, what was already taken from each, and the poller.
 *
 *   feed URL ──fetchText (same SSRF checks)──▶ rss-parser ──new items──▶ fetchArticlePage
 *     ──parseHtmlArticle (or the item's own content)──▶ CorpusFiles.saveArticle ──▶ one reindex
 *
 * The list lives in `corpus/.feeds.json`: next to the articles it produced, so it is backed up and
 * moved with them, survives restarts and `--rebuild` (which only replaces `embeddings/`), and is
 * hidden, so `loadCorpus` never reads it as an article.
 */

export interface FeedSeen {
  guids: string[];
  links: string[];
  /** sha256 of an item's title and content: the same story re-posted under a new guid and link. */
  hashes: string[];
}

export interface Feed {
  url: string;
  title: string | null;
  addedAt: string;
  /** Telegram id of the admin who added it. */
  addedBy: number | null;
  lastPolledAt: string | null;
  /** Why the last poll of this feed failed; null when it went through. */
  lastError: string | null;
  /** Articles saved by the last poll. */
  lastAdded: number;
  seen: FeedSeen;
}

interface FeedFile {
  version: 1;
  feeds: Feed[];
}

/** The key an item is recognised by: any one of them seen before means "not new". */
export interface ItemKeys {
  guid: string | null;
  link: string | null;
  hash: string | null;
}

const FILE_VERSION = 1;
/** Keys kept per kind and feed: far more than any feed lists at once, so old items stay known. */
const SEEN_LIMIT = 2000;

/**
 * The feeds, persisted as versioned JSON and rewritten atomically on every change. One process
 * owns the file: the in-memory copy is the truth and writes are serialised.
 *
 * @example
 *   const store = await FeedStore.open(path.join(config.corpusDir, ".feeds.json"));
 *   await store.add("https://baothu.vn/rss/thoi-su.rss", { addedBy: 42 });
 */
export class FeedStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private feeds: Feed[],
  ) {}

  /** Reads the file (a missing file is an empty list). @throws when it is not JSON or of another version. */
  static async open(file: string): Promise<FeedStore> {
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new FeedStore(file, []);
      throw error;
    }
    let data: Partial<FeedFile>;
    try {
      data = JSON.parse(text) as Partial<FeedFile>;
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${reasonOf(error)}): repair it or remove it to start with no feeds`);
    }
    if (data.version !== FILE_VERSION || !Array.isArray(data.feeds)) {
      throw new Error(`${file} is feed list version ${String(data.version)}, this bot reads version ${FILE_VERSION}`);
    }
    return new FeedStore(file, data.feeds);
  }

  /** The feeds in the order `/feeds` numbers them (1-based n = index + 1). */
  list(): readonly Feed[] {
    return this.feeds;
  }

  get(url: string): Feed | undefined {
    return this.feeds.find((f) => f.url === url);
  }

  /** Adds a feed (a URL already listed is not added twice). */
  async add(url: string, details: { title?: string | null; addedBy?: number | null } = {}): Promise<{ n: number; feed: Feed; existed: boolean }> {
    const normalised = normaliseUrl(url);
    const index = this.feeds.findIndex((f) => f.url === normalised);
    if (index >= 0) return { n: index + 1, feed: this.feeds[index]!, existed: true };
    const feed: Feed = {
      url: normalised,
      title: details.title ?? null,
      addedAt: new Date().toISOString(),
      addedBy: details.addedBy ?? null,
      lastPolledAt: null,
      lastError: null,
      lastAdded: 0,
      seen: { guids: [], links: [], hashes: [] },
    };
    this.feeds = [...this.feeds, feed];
    await this.save();
    return { n: this.feeds.length, feed, existed: false };
  }

  /** Removes feed number `n` (1-based, as `/feeds` shows); null when there is no such feed. */
  async remove(n: number): Promise<Feed | null> {
    if (!Number.isInteger(n) || n < 1 || n > this.feeds.length) return null;
    const removed = this.feeds[n - 1]!;
    this.feeds = this.feeds.filter((_f, i) => i !== n - 1);
    await this.save();
    return removed;
  }

  isSeen(url: string, keys: ItemKeys): boolean {
    const seen = this.get(url)?.seen;
    if (!seen) return false;
    return (
      (keys.guid !== null && seen.guids.includes(keys.guid)) ||
      (keys.link !== null && seen.links.includes(keys.link)) ||
      (keys.hash !== null && seen.hashes.includes(keys.hash))
    );
  }

  /** Remembers an item (a feed removed meanwhile is ignored). */
  async markSeen(url: string, keys: ItemKeys): Promise<void> {
    const feed = this.get(url);
    if (!feed) return;
    const push = (list: string[], key: string | null) => {
      if (key === null || list.includes(key)) return;
      list.push(key);
      if (list.length > SEEN_LIMIT) list.splice(0, list.length - SEEN_LIMIT);
    };
    push(feed.seen.guids, keys.guid);
    push(feed.seen.links, keys.link);
    push(feed.seen.hashes, keys.hash);
    await this.save();
  }

  async recordPoll(url: string, outcome: { added: number; error: string | null; title?: string | null }): Promise<void> {
    const feed = this.get(url);
    if (!feed) return;
    feed.lastPolledAt = new Date().toISOString();
    feed.lastAdded = outcome.added;
    feed.lastError = outcome.error;
    if (outcome.title) feed.title = outcome.title;
    await this.save();
  }

  private save(): Promise<void> {
    const text = JSON.stringify({ version: FILE_VERSION, feeds: this.feeds } satisfies FeedFile, null, 2) + "\n";
    const next = this.writing.catch(() => undefined).then(() => writeAtomically(this.file, text));
    this.writing = next;
    return next;
  }
}

export interface PollDependencies {
  store: FeedStore;
  files: CorpusFiles;
  /** The same settings as `/add`; `accept` is set per request. */
  fetch: FetchPageOptions;
  logger: Logger;
  /** Where pages and item contents are parsed: off the event loop, within a budget (default: in process). */
  parser?: ParseSandbox;
  /** Items looked at per feed and poll, from the top (feeds list the newest first); default 50. */
  maxItems?: number;
}

export interface FeedPollResult {
  feed: string;
  title: string | null;
  /** Ids of the articles saved (new or changed files). */
  added: string[];
  failures: Array<{ item: string; reason: string }>;
  /** Why the feed itself could not be read; null when it was. */
  error: string | null;
}

type FeedItem = Parser.Item & { id?: string; "content:encoded"?: string };

const DEFAULT_MAX_ITEMS = 50;
// Options (even empty) keep rss-parser's defaults; one parser serves every poll.
const parser: Parser<Record<string, unknown>, FeedItem> = new Parser({});

/** Fetches and parses a feed (for validation when it is added, and for polling). */
export async function readFeed(url: string, fetch: FetchPageOptions): Promise<{ title: string | null; items: FeedItem[] }> {
  const { text } = await fetchText(url, { ...fetch, accept: FEED_TYPES });
  let output;
  try {
    output = await parser.parseString(text);
  } catch (error) {
    throw new Error(`not an RSS or Atom feed (${reasonOf(error).split("\n")[0]})`);
  }
  return { title: output.title?.trim() || null, items: output.items };
}

/**
 * Polls one feed: every item not seen before (by guid, link or content hash) is fetched like
 * `/add` and saved under `corpus/added/`; when the page cannot be fetched or parsed, the item's
 * own content is the article. Never throws: a failure is in the result (and `lastError`).
 */
export async function pollFeed(feed: Feed, deps: PollDependencies): Promise<FeedPollResult> {
  const result: FeedPollResult = { feed: feed.url, title: feed.title, added: [], failures: [], error: null };
  let items: FeedItem[];
  try {
    const read = await readFeed(feed.url, deps.fetch);
    items = read.items;
    result.title = read.title ?? feed.title;
  } catch (error) {
    result.error = reasonOf(error);
    await deps.store.recordPoll(feed.url, { added: 0, error: result.error });
    return result;
  }
  for (const item of items.slice(0, deps.maxItems ?? DEFAULT_MAX_ITEMS)) {
    const keys = itemKeys(item, feed.url);
    if (deps.store.isSeen(feed.url, keys)) continue;
    const label = keys.link ?? keys.guid ?? item.title ?? "(an item)";
    try {
      const article = await articleForItem(item, keys, feed.url, deps);
      const saved = await deps.files.saveArticle(article);
      // Two items can lead to one page (a redirect): count the article once.
      if (saved.state !== "unchanged" && !result.added.includes(article.id)) result.added.push(article.id);
      await deps.store.markSeen(feed.url, keys);
    } catch (error) {
      // Not remembered: the next poll tries again while the item is in the feed.
      result.failures.push({ item: label, reason: reasonOf(error) });
      deps.logger.warn({ feed: feed.url, item: label }, `feed item skipped: ${reasonOf(error)}`);
    }
  }
  await deps.store.recordPoll(feed.url, { added: result.added.length, error: null, title: result.title });
  return result;
}

/** The item's page as an article; its feed content when the page fails. */
async function articleForItem(item: FeedItem, keys: ItemKeys, feedUrl: string, deps: PollDependencies): Promise<Article> {
  const itemDate = parseDate(item.isoDate ?? item.pubDate);
  let pageError: unknown = null;
  if (keys.link) {
    try {
      const { finalUrl, html } = await fetchArticlePage(keys.link, deps.fetch);
      const id = articleIdForUrl(finalUrl);
      const article = await parsePage(deps, html, CorpusFiles.sourceFor(id), finalUrl, { id });
      return article.publishedAt || !itemDate ? article : makeArticle({ ...article, publishedAt: itemDate });
    } catch (error) {
      pageError = error;
    }
  }
  const id = keys.link ? articleIdForUrl(keys.link) : `${articleIdForUrl(feedUrl).slice(0, 30)}-${sha256(keys.guid ?? item.title ?? "").slice(0, 8)}`;
  const source = CorpusFiles.sourceFor(id);
  const title = item.title?.trim() ?? "";
  const content = item["content:encoded"] ?? item.content ?? item.summary;
  const fields = { id, title, publishedAt: itemDate, author: item.creator ?? null, url: keys.link, source };
  try {
    if (!content) throw new Error("the item has no content");
    // og:title is taken as it is (a <title> would be trimmed at " - " or " | " by Readability).
    const page = `<!DOCTYPE html><html><head><meta property="og:title" content="${escapeAttribute(title)}"></head><body><article>${content}</article></body></html>`;
    const article = await parsePage(deps, page, source, keys.link ?? undefined, { id });
    return makeArticle({ ...article, ...fields, body: article.body.split("\n") });
  } catch {
    try {
      return makeArticle({ ...fields, body: (item.contentSnippet ?? "").split("\n") });
    } catch (error) {
      const why = pageError ? `the page failed (${reasonOf(pageError)}) and ` : "";
      throw new Error(`${why}the feed item has no usable text (${reasonOf(error)})`);
    }
  }
}

function parsePage(deps: PollDependencies, html: string, source: string, url: string | undefined, options: HtmlOptions): Promise<Article> {
  return deps.parser ? deps.parser.parsePage(html, source, url, options) : Promise.resolve().then(() => parseHtmlArticle(html, source, url, options));
}

/** guid (RSS) or id (Atom), the absolute link without fragment, and a hash of title + content. */
export function itemKeys(item: FeedItem, feedUrl: string): ItemKeys {
  const guid = (item.guid ?? item.id ?? "").trim() || null;
  let link: string | null = null;
  if (item.link?.trim()) {
    try {
      link = normaliseUrl(new URL(item.link.trim(), feedUrl).href);
    } catch {
      link = null;
    }
  }
  const content = (item["content:encoded"] ?? item.content ?? item.summary ?? item.contentSnippet ?? "").trim();
  const hash = content ? sha256(`${(item.title ?? "").trim()}\n${content}`) : null;
  return { guid, link, hash };
}

function normaliseUrl(url: string): string {
  const parsed = new URL(url.trim());
  parsed.hash = "";
  return parsed.href;
}

function sha256(text: string): string {
  return createHash("sha256").update(text.normalize("NFC")).digest("hex");
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

export interface PollSummary {
  feeds: number;
  added: string[];
  results: FeedPollResult[];
  /** Whether a re-index ran after this poll, and its error if it failed. */
  reindexed: boolean;
  reindexError: string | null;
}

export interface FeedPollerOptions extends PollDependencies {
  intervalMinutes: number;
  /**
   * Runs once after a poll that saved anything (the admin service's queued incremental re-index),
   * with the ids of the articles saved (each as `CorpusFiles.sourceFor(id)`).
   */
  reindex: (added: string[]) => Promise<unknown>;
  /** Told after every poll (the audit log). */
  onPolled?: (summary: PollSummary) => void;
}

/**
 * Polls every feed each `intervalMinutes`: one poll at a time (a tick during a poll is skipped),
 * one re-index after a poll that saved anything, errors logged and never thrown. The timer is
 * unref'd, so it never keeps the process alive.
 *
 * @example
 *   const poller = new FeedPoller({ store, files, fetch: config.fetch, logger, intervalMinutes: 30, reindex });
 *   poller.start();
 *   // on shutdown:
 *   await poller.stop();
 */
export class FeedPoller {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<PollSummary> | null = null;
  private queued: Promise<PollSummary> | null = null;

  constructor(private readonly options: FeedPollerOptions) {}

  get started(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.inFlight) void this.run();
    }, this.options.intervalMinutes * 60_000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a poll in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queued?.catch(() => undefined);
    await this.inFlight?.catch(() => undefined);
  }

  /**
   * Polls now. During a poll, one more poll is queued to run after it (so a feed added meanwhile
   * is included) and every caller gets that one.
   */
  pollNow(): Promise<PollSummary> {
    if (!this.inFlight) return this.run();
    this.queued ??= this.inFlight.then(() => {
      this.queued = null;
      return this.run();
    });
    return this.queued;
  }

  private run(): Promise<PollSummary> {
    const poll = (async (): Promise<PollSummary> => {
      const { store, logger } = this.options;
      const feeds = [...store.list()];
      const summary: PollSummary = { feeds: feeds.length, added: [], results: [], reindexed: false, reindexError: null };
      for (const feed of feeds) {
        const result = await pollFeed(feed, this.options);
        summary.results.push(result);
        for (const id of result.added) summary.added.push(id);
        if (result.error) logger.warn({ feed: feed.url }, `feed poll failed: ${result.error}`);
      }
      if (summary.added.length > 0) {
        try {
          await this.options.reindex(summary.added);
          summary.reindexed = true;
        } catch (error) {
          summary.reindexError = describeFailure(error);
          logger.error({ err: error }, "re-index after the feed poll failed");
        }
      }
      logger.info({ feeds: summary.feeds, added: summary.added.length }, "feeds polled");
      try {
        this.options.onPolled?.(summary);
      } catch (error) {
        logger.warn({ err: error }, "feed poll listener failed");
      }
      return summary;
    })().catch((error: unknown) => {
      this.options.logger.error({ err: error }, "feed poll failed");
      return { feeds: 0, added: [], results: [], reindexed: false, reindexError: describeFailure(error) };
    });
    this.inFlight = poll.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }
}
