import fs from "node:fs/promises";
import path from "node:path";
import type { CorpusChanges, IngestResult, QaService, ReindexStatus, ServiceStatus } from "../app";
import type { Config } from "../config";
import { ArticleParseError, RemovalRefusedError } from "../domain/errors";
import type { Article } from "../domain/types";
import { reasonOf } from "../ingest";
import type { Logger } from "../logger";
import { currentVersion } from "../store";
import { AuditLog, DEFAULT_AUDIT_PATH, type AuditEntry } from "./audit";
import { describeFailure } from "./explain";
import { articleIdForUrl, CorpusFiles, CorpusRefusedError, fileOf, type CorpusRefusalCode, type SavedFile } from "./corpus-files";
import { FeedPoller, FeedStore, readFeed, type Feed, type PollSummary } from "./feeds";
import { fetchArticlePage, FetchRefusedError, type FetchPageOptions, type FetchRefusalCode } from "./fetch-page";

/** Who asks: the Telegram user (the username only goes to the audit log). */
export interface Actor {
  id: number;
  username?: string;
}

export type RefusalCode =
  | "not-admin"
  | FetchRefusalCode
  | CorpusRefusalCode
  /** The page was fetched but holds no article (no title or no text). */
  | "no-article"
  | "not-a-feed"
  | "no-such-feed"
  /** The re-index would remove more than half of the indexed articles: confirmed only by `/reindex full`. */
  | "mass-removal";

/**
 * What every admin operation returns, instead of throwing: the bot renders each case, and the
 * audit log records the same three outcomes.
 */
export type AdminResult<T> =
  | { status: "ok"; value: T }
  | { status: "refused"; code: RefusalCode; reason: string }
  | { status: "error"; reason: string };

/** An article as the bot shows it after /add, /undelete or an upload. */
export interface ArticleSummary {
  id: string;
  title: string;
  publishedAt: string | null;
  author: string | null;
  url: string | null;
  source: string;
  /** The first paragraphs, at most about 300 characters. */
  firstLines: string;
}

/** A finished re-index, without the index itself; `skipped` lists the files or records left out. */
export interface ReindexSummary extends Omit<IngestResult, "index" | "failures"> {
  skipped: Array<{ path: string; reason: string }>;
}

export type ReindexStart =
  | { state: "started"; done: Promise<AdminResult<ReindexSummary>> }
  /** A re-index is running already: how far it is (null: queued behind a change, not started yet). */
  | { state: "busy"; running: ReindexStatus | null };

export interface AdminStats extends ServiceStatus {
  questionsToday: number;
  notFoundRate: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  lastIngest: ReturnType<QaService["stats"]["snapshot"]>["lastIngest"];
  /** Bytes of the index version in service, on disk. */
  indexBytes: number;
  reindex: ReindexStatus | null;
  feeds: number;
}

export interface AdminServiceOptions {
  service: QaService;
  logger: Logger;
  /** Default: `logs/audit.jsonl` under the working folder. */
  auditPath?: string;
  /** Default: `<corpus>/.feeds.json` (see feeds.ts for why). */
  feedsPath?: string;
  /** Overrides of the configured fetch settings (tests: `allowPrivate`, `fetchImpl`, `lookup`). */
  fetch?: Partial<FetchPageOptions>;
}

/** `full`, `onProgress`, and `onSaveStep` (crash tests): passed to `QaService.reindex`. */
export type ReindexOptions = NonNullable<Parameters<QaService["reindex"]>[0]>;

const FIRST_LINES_CHARS = 300;

/**
 * The admin operations behind the bot's `/add`, uploads, `/delete`, `/undelete`, `/reindex`,
 * `/feeds` and `/stats`, over one `QaService`.
 *
 * - Only `ADMIN_IDS` may change anything: anyone else gets `{ status: "refused", code: "not-admin" }`
 *   and nothing is read, fetched or written.
 * - Every operation is audited (who, what, target, result).
 * - Corpus changes and re-indexes run one after another through a queue: an `/add` during a
 *   `/reindex` waits for it and then runs its own, instead of failing because one is running.
 *   Network fetches happen before the queue, so a slow site never holds up others.
 *
 * @example
 *   const admin = await AdminService.create({ service, logger });
 *   admin.startFeedPolling();
 *   const result = await admin.addUrl({ id: ctx.from.id, username: ctx.from.username }, url);
 *   if (result.status === "ok") reply(result.value.article.title);
 */
export class AdminService {
  private readonly queue = new SerialQueue();
  /** `/reindex` requests queued or running: a second one is told "busy" even before it starts. */
  private reindexesQueued = 0;
  private readonly fetchOptions: FetchPageOptions;
  readonly files: CorpusFiles;
  readonly poller: FeedPoller;

  private constructor(
    readonly service: QaService,
    private readonly logger: Logger,
    readonly audit: AuditLog,
    readonly feeds: FeedStore,
    options: AdminServiceOptions,
  ) {
    const config = service.config;
    this.fetchOptions = { ...config.fetch, ...options.fetch };
    this.files = new CorpusFiles({
      corpusDir: config.corpusDir,
      uploadMaxBytes: config.uploadMaxBytes,
      findArticle: (id) => this.service.index.article(id),
      parser: service.parser,
    });
    this.poller = new FeedPoller({
      store: feeds,
      files: this.files,
      fetch: this.fetchOptions,
      parser: service.parser,
      logger,
      intervalMinutes: config.feedPollMinutes,
      reindex: (added) =>
        this.queue.run(() => this.runReindex({ changes: this.changesOf(added.map((id) => path.join(this.files.corpusDir, CorpusFiles.sourceFor(id))), []) })),
      onPolled: (summary) => this.auditPoll(summary),
    });
  }

  static async create(options: AdminServiceOptions): Promise<AdminService> {
    const config: Config = options.service.config;
    const feeds = await FeedStore.open(options.feedsPath ?? path.join(config.corpusDir, ".feeds.json"));
    return new AdminService(options.service, options.logger, new AuditLog(options.auditPath ?? DEFAULT_AUDIT_PATH), feeds, options);
  }

  isAdmin(userId: number): boolean {
    return this.service.config.telegram.adminIds.includes(userId);
  }

  /** Starts polling the feeds every `FEED_POLL_MINUTES` (the timer does not keep the process alive). */
  startFeedPolling(): void {
    this.poller.start();
  }

  /** Stops the feed timer and waits for the work in progress (a poll, queued changes). */
  async stop(): Promise<void> {
    await this.poller.stop();
    await this.queue.idle();
  }

  /**
   * `/add <url>`: fetches the page (SSRF-checked, time- and size-capped), extracts the article,
   * saves it as `corpus/added/<id>.md` and re-indexes. The same URL again replaces its file
   * (`updated: true`: the page was in the corpus already); the article count does not grow.
   */
  addUrl(actor: Actor, url: string): Promise<AdminResult<{ article: ArticleSummary; updated: boolean; reindex: ReindexSummary | null }>> {
    return this.act(actor, "add", url, async () => {
      const { finalUrl, html } = await fetchArticlePage(url, this.fetchOptions);
      const id = articleIdForUrl(finalUrl);
      let article: Article;
      try {
        // In the parse worker: a hostile page costs the admin a refusal, never the readers' answers.
        article = await this.service.parser.parsePage(html, CorpusFiles.sourceFor(id), finalUrl, { id });
      } catch (error) {
        return refused("no-article", `no article found in the page: ${describeFailure(error)}`);
      }
      return this.queue.run(async () => {
        const saved = await this.files.saveArticle(article);
        const needed = saved.state !== "unchanged" || !this.service.index.article(id);
        const reindex = needed ? await this.runReindex({ changes: this.changesOf([saved.file], []) }) : null;
        const indexed = this.service.index.article(id);
        if (!indexed) return notIndexed(id, saved.source, reindex);
        return ok({ article: summarise(indexed), updated: saved.state !== "added", reindex: reindex && summariseIngest(reindex) });
      });
    }, (v) => `${v.article.id}${v.updated ? " (updated)" : ""}`);
  }

  /**
   * An uploaded document: validated with the real loaders (a file that does not parse changes
   * nothing), saved as `corpus/uploads/<safe name>`, re-indexed.
   */
  addUpload(actor: Actor, fileName: string, bytes: Uint8Array): Promise<AdminResult<{ source: string; articles: ArticleSummary[]; updated: boolean; reindex: ReindexSummary }>> {
    return this.act(actor, "upload", fileName, () =>
      this.queue.run(async () => {
        const saved = await this.files.saveUpload(fileName, bytes);
        const reindex = await this.runReindex({ changes: this.changesOfUpload(saved) });
        const articles = saved.articles.map((a) => this.service.index.article(a.id)).filter((a): a is Article => a !== undefined);
        if (articles.length === 0) return notIndexed(saved.articles[0]!.id, saved.source, reindex);
        return ok({ source: saved.source, articles: articles.map(summarise), updated: saved.state === "updated", reindex: summariseIngest(reindex) });
      }),
      (v) => `${v.source}: ${v.articles.length} article(s)`,
    );
  }

  /** `/delete <id>`: the article's file goes to `corpus/.trash/`, then the index drops it. */
  deleteArticle(actor: Actor, articleId: string): Promise<AdminResult<{ id: string; title: string; trashed: string; reindex: ReindexSummary }>> {
    return this.act(actor, "delete", articleId, () =>
      this.queue.run(async () => {
        const { trashed, article } = await this.files.trash(articleId);
        const reindex = await this.runReindex({ changes: { files: [], removed: [articleId] } });
        if (this.service.index.article(articleId)) {
          return error(`${articleId} moved to ${trashed}, but the index still holds it: run /reindex`);
        }
        return ok({ id: articleId, title: article.title, trashed, reindex: summariseIngest(reindex) });
      }),
      (v) => v.trashed,
    );
  }

  /** `/undelete <id>`: the file comes back from the trash, then into the index. */
  undeleteArticle(actor: Actor, articleId: string): Promise<AdminResult<{ article: ArticleSummary; reindex: ReindexSummary }>> {
    return this.act(actor, "undelete", articleId, () =>
      this.queue.run(async () => {
        const { source } = await this.files.undelete(articleId);
        const reindex = await this.runReindex({ changes: this.changesOf([path.join(this.files.corpusDir, source)], []) });
        const article = this.service.index.article(articleId);
        if (!article) return notIndexed(articleId, source, reindex);
        return ok({ article: summarise(article), reindex: summariseIngest(reindex) });
      }),
      (v) => v.article.source,
    );
  }

  /**
   * `/reindex [full]`: starts a re-index (after any queued change) and returns at once; `done`
   * settles with the summary or the error. While one runs, the answer is "busy" with its progress.
   */
  async reindex(actor: Actor, options: ReindexOptions = {}): Promise<AdminResult<ReindexStart>> {
    const action = options.full ? "reindex-full" : "reindex";
    // `act` refuses (and audits) a non-admin before it would run the work.
    if (!this.isAdmin(actor.id)) return this.act(actor, action, undefined, async () => refused("not-admin", ""));
    const running = this.service.reindexStatus;
    if (running || this.reindexesQueued > 0) {
      const p = running?.progress;
      const detail = `busy: one is ${running ? "running" : "queued"}${p ? ` (${p.phase}, ${p.articlesDone}/${p.articlesTotal} articles)` : ""}`;
      await this.record(actor, action, undefined, "refused", detail);
      return ok({ state: "busy", running });
    }
    this.reindexesQueued++;
    const done = this.queue
      .run(() => this.runReindex(options))
      .finally(() => this.reindexesQueued--)
      .then(
        (result): AdminResult<ReindexSummary> => ok(summariseIngest(result)),
        (failure: unknown): AdminResult<ReindexSummary> => {
          const result = asResult<ReindexSummary>(failure);
          if (result.status === "error") this.logger.error({ err: failure }, "re-index failed");
          return result;
        },
      )
      .then(async (result) => {
        const detail =
          result.status === "ok"
            ? `+${result.value.added} ~${result.value.updated} -${result.value.removed}, ${result.value.skipped.length} skipped`
            : result.reason;
        await this.record(actor, action, undefined, result.status, detail);
        return result;
      });
    return ok({ state: "started", done });
  }

  /** `/feeds`: the feeds, numbered as `/feeds remove <n>` expects. */
  listFeeds(actor: Actor): Promise<AdminResult<Array<{ n: number } & Omit<Feed, "seen">>>> {
    return this.act(actor, "feeds", undefined, async () =>
      ok(this.feeds.list().map(({ seen: _seen, ...feed }, i) => ({ n: i + 1, ...feed }))),
    );
  }

  /** `/feeds add <url>`: checks that the URL is a readable RSS/Atom feed, then adds it (and polls soon). */
  addFeed(actor: Actor, url: string): Promise<AdminResult<{ n: number; url: string; title: string | null; items: number; existed: boolean }>> {
    return this.act(actor, "feeds-add", url, async () => {
      let feed;
      try {
        feed = await readFeed(url, this.fetchOptions);
      } catch (failure) {
        if (failure instanceof FetchRefusedError) throw failure;
        return refused("not-a-feed", describeFailure(failure));
      }
      const added = await this.feeds.add(url, { title: feed.title, addedBy: actor.id });
      if (this.poller.started && !added.existed) void this.poller.pollNow();
      return ok({ n: added.n, url: added.feed.url, title: feed.title, items: feed.items.length, existed: added.existed });
    }, (v) => `#${v.n}`);
  }

  /** `/feeds remove <n>` (1-based). Articles already taken from the feed stay. */
  removeFeed(actor: Actor, n: number): Promise<AdminResult<{ url: string }>> {
    return this.act(actor, "feeds-remove", String(n), async () => {
      const removed = await this.feeds.remove(n);
      if (!removed) return refused("no-such-feed", `there is no feed number ${n}: /feeds lists them`);
      return ok({ url: removed.url });
    }, (v) => v.url);
  }

  /** `/stats`: the index, the model, answering counters, the last ingest and the re-index in progress. */
  async stats(): Promise<AdminStats> {
    return {
      ...this.service.status(),
      ...this.service.stats.snapshot(),
      indexBytes: await folderBytes(await currentVersion(this.service.config.indexDir)),
      reindex: this.service.reindexStatus,
      feeds: this.feeds.list().length,
    };
  }

  /**
   * What an action changed, for a re-index that reads only those files. Undefined (every file is
   * read) when a file holds an article id that the index in service has from another file: the
   * folder walk keeps the first of two copies, which only a full read can tell.
   */
  private changesOf(files: string[], removed: string[]): CorpusChanges | undefined {
    const sources = new Set(files.map((file) => path.relative(this.files.corpusDir, file).split(path.sep).join("/")));
    for (const source of sources) {
      // Saved articles are `added/<id>.md`: the id is the file name.
      const id = source.startsWith("added/") ? path.basename(source, ".md") : null;
      const holder = id === null ? undefined : this.service.index.article(id);
      if (holder && !sources.has(fileOf(holder.source))) return undefined;
    }
    return { files, removed };
  }

  /** An upload's change: its file, and the articles the file held before and no longer does. */
  private changesOfUpload(saved: SavedFile & { articles: Article[] }): CorpusChanges | undefined {
    const now = new Set(saved.articles.map((a) => a.id));
    const dropped = this.service.index.articles.filter((a) => fileOf(a.source) === saved.source && !now.has(a.id)).map((a) => a.id);
    // `saveUpload` refused ids that another file holds.
    return this.changesOf([saved.file], dropped);
  }

  /** Runs the service's re-index, waiting for one already running (started elsewhere) first. */
  private async runReindex(options: ReindexOptions): Promise<IngestResult> {
    for (;;) {
      await this.service.idle();
      const running = this.service.reindex(options);
      if (running) return running;
    }
  }

  /** The admin check, the work, its refusals and errors as results, and the audit line. */
  private async act<T>(
    actor: Actor,
    action: string,
    target: string | undefined,
    work: () => Promise<AdminResult<T>>,
    describe?: (value: T) => string,
  ): Promise<AdminResult<T>> {
    let result: AdminResult<T>;
    if (!this.isAdmin(actor.id)) {
      result = refused("not-admin", "only the bot's admins can do this");
    } else {
      try {
        result = await work();
      } catch (failure) {
        result = asResult(failure);
        if (result.status === "error") this.logger.error({ err: failure, action, target }, `admin ${action} failed`);
      }
    }
    await this.record(actor, action, target, result.status, result.status === "ok" ? describe?.(result.value) : result.reason);
    return result;
  }

  private async record(actor: Actor, action: string, target: string | undefined, result: AuditEntry["result"], detail?: string): Promise<void> {
    const entry: Omit<AuditEntry, "at"> = { userId: actor.id, username: actor.username, action, target, result, detail };
    await this.audit.record(entry).catch((failure: unknown) => this.logger.error({ err: failure, entry }, "could not write the audit log"));
  }

  private auditPoll(summary: PollSummary): void {
    const failed = summary.results.filter((r) => r.error || r.failures.length > 0);
    if (summary.added.length === 0 && failed.length === 0 && !summary.reindexError) return;
    const problems = [...failed.map((r) => `${r.feed}: ${r.error ?? `${r.failures.length} item(s) failed`}`), summary.reindexError].filter(Boolean);
    void this.audit
      .record({
        userId: null,
        action: "feed-poll",
        result: summary.reindexError ? "error" : "ok",
        detail: [`${summary.added.length} article(s) added`, ...problems].join("; "),
      })
      .catch((failure: unknown) => this.logger.error({ err: failure }, "could not write the audit log"));
  }
}

/** Runs tasks one after another, in call order; a failed task does not stop the next. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async idle(): Promise<void> {
    let tail;
    do {
      tail = this.tail;
      await tail;
    } while (tail !== this.tail);
  }
}

function ok<T>(value: T): AdminResult<T> {
  return { status: "ok", value };
}

function refused<T>(code: RefusalCode, reason: string): AdminResult<T> {
  return { status: "refused", code, reason };
}

function error<T>(reason: string): AdminResult<T> {
  return { status: "error", reason };
}

/**
 * Refusals from the boundaries keep their code; anything else is an error, said in words
 * (`describeFailure`: never "Maximum call stack size exceeded").
 */
function asResult<T>(failure: unknown): AdminResult<T> {
  if (failure instanceof FetchRefusedError || failure instanceof CorpusRefusedError) return refused(failure.code, failure.message);
  if (failure instanceof ArticleParseError) return refused("no-article", failure.reason);
  if (failure instanceof RemovalRefusedError) {
    return refused(
      "mass-removal",
      `${failure.removed} of the ${failure.indexed} indexed articles are no longer in the corpus folder: check it (CORPUS_DIR); ` +
        `if they really are gone, /reindex full asks to confirm`,
    );
  }
  return error(describeFailure(failure));
}

/** The file was saved but the index does not have the article: say why, from the skipped list. */
function notIndexed<T>(id: string, source: string, reindex: IngestResult | null): AdminResult<T> {
  const skipped = reindex?.failures.find((f) => f.path.split(path.sep).join("/").endsWith(source));
  return error(`${source} was saved, but ${id} is not in the index${skipped ? `: ${skipped.reason}` : ""}`);
}

export function summarise(article: Article): ArticleSummary {
  let firstLines = "";
  for (const paragraph of article.body.split("\n")) {
    firstLines = firstLines ? `${firstLines}\n${paragraph}` : paragraph;
    if (firstLines.length >= FIRST_LINES_CHARS / 2) break;
  }
  if (firstLines.length > FIRST_LINES_CHARS) {
    const cut = firstLines.lastIndexOf(" ", FIRST_LINES_CHARS);
    firstLines = `${firstLines.slice(0, cut > 0 ? cut : FIRST_LINES_CHARS)}…`;
  }
  const { id, title, publishedAt, author, url, source } = article;
  return { id, title, publishedAt, author, url, source, firstLines };
}

function summariseIngest(result: IngestResult): ReindexSummary {
  const { index: _index, failures, ...counts } = result;
  return { ...counts, skipped: failures.map((f) => ({ path: f.path, reason: f.reason })) };
}

/** Total size of the files in a version folder (flat), 0 when there is none. */
async function folderBytes(dir: string | null): Promise<number> {
  if (!dir) return 0;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.stat(path.join(dir, e.name)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}
