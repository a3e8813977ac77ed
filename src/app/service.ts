import { composeAnswer, type AnswerOptions } from "../answer";
import type { Config } from "../config";
import type { Answer, Embedder, ScoredChunk } from "../domain/types";
import { loadEmbedderOrExplain } from "../embed";
import { ParseSandbox } from "../ingest";
import type { Logger } from "../logger";
import { read, sentenceCosines, type Reading } from "../read";
import { Retriever, type Retrieval, type RetrieveOptions, type RetrieverSettings } from "../retrieve";
import { SearchThread, currentVersion, loadIndex, type BuildProgress, type CorpusIndex } from "../store";
import { ingestInWorker, workerEmbedder } from "./build-thread";
import { ingest, type CorpusChanges, type IngestResult } from "./ingest";
import { logFailures } from "./skipped";
import { QuestionStats } from "./stats";

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Inject a loaded embedder (tests); by default the configured model is loaded, or dense is off. */
  embedder?: Embedder | null;
  denseOffReason?: string | null;
  retriever?: RetrieverSettings;
  /**
   * Log "dense retrieval is off (why)" at start-up (default true). The terminal chat says it in its
   * own banner instead, so that a person reads it once.
   */
  warnDenseOff?: boolean;
}

export interface ReindexStatus {
  running: boolean;
  full: boolean;
  startedAt: number;
  progress: BuildProgress | null;
}

export interface ServiceStatus {
  articles: number;
  passages: number;
  model: string;
  denseOn: boolean;
  denseOffReason: string | null;
  /** Whether a question's searches run on two threads (`SEARCH_THREAD`). */
  searchThread: boolean;
  builtAt: string;
  firstDate: string | null;
  lastDate: string | null;
}

/**
 * Live articles from which `SEARCH_THREAD=auto` runs a question's searches on two threads: where
 * they cost tens of milliseconds, so that the thread's ~130 MiB buys something.
 * `bench/query.bench.ts --ask-only`, 1,000 questions, off and on in turn, two rounds each: ask p95
 * at 200,000 articles 90.9 / 89.5 → 68.5 / 72.4 ms; at 26,530, 31.2 / 22.7 → 24.5 / 24.5 (p50 16.5 /
 * 14.7 → 14.4 / 14.6); at 3,153, 13.6 / 12.5 → 15.3 / 14.6 (two searches and a message cost more
 * than they save).
 */
export const SEARCH_THREAD_MIN_ARTICLES = 50_000;

/**
 * The answering service: one loaded index, one embedder, and the operations every front end
 * (terminal, Telegram) uses. The index is swapped as a whole reference, so an answer in flight
 * finishes on the version it started with and the next one sees the new version: never a mix.
 */
export class QaService {
  private current: { index: CorpusIndex; retriever: Retriever };
  private reindexing: { status: ReindexStatus; promise: Promise<IngestResult> } | null = null;
  readonly stats = new QuestionStats();
  /**
   * Where documents from outside are parsed (uploads, fetched pages, and the corpus during a
   * re-index): a worker thread within `PARSE_TIMEOUT_SECONDS` / `PARSE_MEMORY_MB`, so that no
   * file, however hostile, stops this process from answering. Started on first use.
   */
  readonly parser: ParseSandbox;

  /** The second thread of a question's searches (`SEARCH_THREAD`); started with the first index that uses it. */
  private searchThread: SearchThread | null = null;

  private constructor(
    readonly config: Config,
    private readonly logger: Logger,
    readonly embedder: Embedder | null,
    readonly denseOffReason: string | null,
    index: CorpusIndex,
    private readonly retrieverSettings: RetrieverSettings,
  ) {
    this.current = { index, retriever: new Retriever(index, embedder, retrieverSettings) };
    this.parser = new ParseSandbox(config.parse);
  }

  /**
   * Loads the embedder (or explains why dense retrieval is off) and the index, building the index
   * from the corpus first when there is none.
   * @throws IndexError when the index on disk was built with another model or format.
   */
  static async open(options: ServiceOptions): Promise<QaService> {
    const { config, logger } = options;
    let embedder = options.embedder;
    let denseOffReason = options.denseOffReason ?? null;
    if (embedder === undefined) {
      const loaded = await loadEmbedderOrExplain(config.embedding, logger);
      embedder = loaded.embedder;
      denseOffReason = loaded.reason;
    }
    if (!embedder && options.warnDenseOff !== false) {
      logger.warn(`dense retrieval is off (${denseOffReason}); answering with lexical retrieval only`);
    }
    if (!(await currentVersion(config.indexDir))) {
      logger.info(`no index in ${config.indexDir}: building it from ${config.corpusDir}`);
      // In process: nothing is served yet, so there is no reader to keep answering.
      logFailures(logger, (await ingest({ config, logger, embedder, denseOffReason })).failures);
    }
    const index = await loadIndex(config.indexDir, { model: embedder ? { id: embedder.modelId, dimensions: embedder.dimensions } : null });
    if (embedder && !index.hasVectors) {
      logger.warn("the index has no vectors (built without a model): run `npm run ingest -- --rebuild` to add them");
    }
    const service = new QaService(config, logger, embedder, denseOffReason, index, options.retriever ?? {});
    // Served once the thread has it too (a fraction of the load: the article dictionaries), so that
    // the first questions, and what a benchmark measures, are answered as all later ones are.
    await service.useSearchThread(index);
    return service;
  }

  get index(): CorpusIndex {
    return this.current.index;
  }

  get denseOn(): boolean {
    return this.current.retriever.denseOn;
  }

  /** Raw retrieval, for staff search and evaluation. */
  retrieve(question: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    return this.current.retriever.retrieve(question, options);
  }

  /** Retrieves and composes a cited answer; records latency and outcome for /stats. */
  async ask(question: string, options: RetrieveOptions & Partial<AnswerOptions> = {}): Promise<Answer> {
    return (await this.askWithEvidence(question, options)).answer;
  }

  /** `ask`, also returning the retrieval it was composed from (evaluation, staff views). */
  async askWithEvidence(
    question: string,
    options: RetrieveOptions & Partial<AnswerOptions> = {},
  ): Promise<{ answer: Answer; retrieval: Retrieval; reading: Reading }> {
    const started = performance.now();
    const { index, retriever } = this.current;
    const retrieval = await retriever.retrieve(question, { limit: 12, ...options });
    // An English question's words cannot say which sentence of a Vietnamese article answers it; the
    // similarity of each sentence of its best passages to it can (one small batch, see read/cross-lingual.ts).
    const { queryVector } = retrieval;
    const cosines =
      retrieval.query.language === "en" && queryVector && this.embedder ? await sentenceCosines({ hits: retrieval.hits, queryVector }, index, this.embedder) : null;
    const reading = read({ ...retrieval, cosines }, index);
    const answer = composeAnswer(question, retrieval, reading, {
      maxSources: options.maxSources ?? this.config.answer.maxSources,
      maxQuotesPerSource: options.maxQuotesPerSource ?? this.config.answer.maxQuotesPerSource,
      maxQuotedChars: options.maxQuotedChars ?? this.config.answer.maxQuotedChars,
    });
    this.stats.record(performance.now() - started, answer.notFound);
    return { answer, retrieval, reading };
  }

  /** Top passages with their scores, no summarising: what staff use to check a fact. */
  async search(query: string, options: RetrieveOptions = {}): Promise<ScoredChunk[]> {
    return (await this.current.retriever.retrieve(query, { limit: 10, ...options })).hits;
  }

  /** Puts a new index in service (atomic: one reference assignment). */
  swap(index: CorpusIndex): void {
    const old = this.current.index;
    this.current = { index, retriever: new Retriever(index, this.embedder, this.retrieverSettings) };
    // Not awaited: until the thread has the new version, its articles are searched here.
    void this.useSearchThread(index);
    if (old !== index) void old.searchOn(null);
    this.logger.info({ articles: index.articles.length, passages: index.chunkCount, builtAt: index.manifest.builtAt }, "index switched");
  }

  /** Opens an index on the search thread when `SEARCH_THREAD` says so for its size. */
  private async useSearchThread(index: CorpusIndex): Promise<void> {
    const mode = this.config.searchThread;
    if (mode === "off" || (mode === "auto" && index.articles.length < SEARCH_THREAD_MIN_ARTICLES)) return;
    if (this.searchThread?.usable === false) return;
    await index.searchOn((this.searchThread ??= new SearchThread(this.logger)));
  }

  /** Ends the search thread (the build and parse workers end by themselves when idle). */
  async close(): Promise<void> {
    await this.current.index.searchOn(null);
    await this.searchThread?.close();
  }

  /** Loads the version on disk when it is not the one in service (after `npm run ingest`). */
  async reload(): Promise<boolean> {
    const onDisk = await currentVersion(this.config.indexDir);
    if (!onDisk || onDisk === this.current.index.location) return false;
    const model = this.embedder ? { id: this.embedder.modelId, dimensions: this.embedder.dimensions } : null;
    this.swap(await loadIndex(this.config.indexDir, { model, previous: this.current.index }));
    return true;
  }

  get reindexStatus(): ReindexStatus | null {
    return this.reindexing?.status ?? null;
  }

  /**
   * Resolves once no re-index is running (at once when none is); never rejects. For callers that
   * must run their own re-index after one already running, instead of being turned away by null.
   */
  async idle(): Promise<void> {
    while (this.reindexing) await this.reindexing.promise.catch(() => undefined);
  }

  /**
   * Re-embeds the corpus in the background and switches to the result when complete.
   * One at a time: while one runs, this returns null (see `reindexStatus`). On failure the
   * index in service is untouched and the promise rejects.
   */
  reindex(
    options: {
      full?: boolean;
      /** Allow removing more than half of the indexed articles (after an admin confirmed it). */
      allowRemovals?: boolean;
      /** What an admin action changed: only these files are read (see `IngestOptions.changes`). */
      changes?: CorpusChanges;
      onProgress?: (p: BuildProgress) => void;
      onSaveStep?: (file: string) => void | Promise<void>;
      /** Stops a build running in the worker (as if it crashed: the index in service stays). */
      signal?: AbortSignal;
    } = {},
  ): Promise<IngestResult> | null {
    if (this.reindexing) return null;
    const status: ReindexStatus = { running: true, full: options.full ?? false, startedAt: Date.now(), progress: null };
    const promise = (async () => {
      try {
        const common = {
          config: this.config,
          logger: this.logger,
          embedder: this.embedder,
          denseOffReason: this.denseOffReason,
          rebuild: status.full,
          allowRemovals: options.allowRemovals ?? false,
          previous: this.current.index,
          ...(options.changes ? { changes: options.changes } : {}),
          onProgress: (p: BuildProgress) => {
            status.progress = p;
            options.onProgress?.(p);
          },
          ...(options.onSaveStep ? { onSaveStep: options.onSaveStep } : {}),
        };
        // Off this thread whenever the worker can load the same model (or none is used). An
        // embedder object injected without a recipe (tests' hashing embedder, a library user's
        // own) cannot cross threads: that build runs here, as before, and blocks answering.
        const recipe = workerEmbedder(this.embedder);
        const result =
          recipe === undefined
            ? await ingest({ ...common, parser: this.parser })
            : await ingestInWorker({ ...common, embedderRecipe: recipe, ...(options.signal ? { signal: options.signal } : {}) });
        logFailures(this.logger, result.failures);
        if (result.index) this.swap(result.index);
        this.stats.recordIngest({ at: new Date().toISOString(), ms: result.totalMs, ok: true, summary: result });
        return result;
      } catch (error) {
        this.stats.recordIngest({ at: new Date().toISOString(), ms: Date.now() - status.startedAt, ok: false, error: (error as Error).message });
        throw error;
      } finally {
        this.reindexing = null;
      }
    })();
    this.reindexing = { status, promise };
    return promise;
  }

  status(): ServiceStatus {
    const { index } = this.current;
    const dates = index.articles.map((a) => a.publishedAt?.slice(0, 10)).filter((d): d is string => !!d).sort();
    return {
      articles: index.articles.length,
      passages: index.chunkCount,
      model: index.manifest.model?.id ?? this.config.embedding.model,
      denseOn: this.denseOn,
      denseOffReason: this.denseOn ? null : (this.denseOffReason ?? "the index has no vectors"),
      searchThread: index.searchedOnTwoThreads,
      builtAt: index.manifest.builtAt,
      firstDate: dates[0] ?? null,
      lastDate: dates.at(-1) ?? null,
    };
  }
}
