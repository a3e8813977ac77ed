import { Worker } from "node:worker_threads";
import type { Logger } from "../logger";
import type { Bm25Params, LexicalHit, TermQuery } from "./lexical";

const WORKER_URL = new URL("./article-search-worker.mjs", import.meta.url);

/**
 * How long a search waits for the thread's answer before it is done in process instead, and the
 * thread given up: a search there takes milliseconds, so a thread that does not answer in
 * seconds is stuck, and a reader must not wait on it.
 */
export const THREAD_REPLY_TIMEOUT_MS = 5_000;

/**
 * The thread's own postings cache (the answering thread's, `POSTINGS_CACHE_BYTES`, keeps the
 * passages'). At 200,000 articles, 1,000 questions: ask p95 113 ms with 32 MiB, 111 ms with 128,
 * and RSS after them 859 against 1,254 MiB.
 */
export const THREAD_CACHE_BYTES = 32 * 2 ** 20;

/**
 * The thread's young generation (MiB). A search leaves little garbage (its hits, its scoring
 * units): at 200,000 articles V8's default let the thread's heap grow to 44 MiB, 4 holds it to 21.
 */
const THREAD_YOUNG_GENERATION_MB = 4;

/** One segment's article index as the thread reads it: its file, and which of its articles are tombstoned. */
export interface ThreadSegment {
  /**
   * The segment's name: a segment is read once for every version that holds it, as the answering
   * thread does (`loadIndex`), though each version links its files in a folder of its own.
   */
  name: string;
  file: string;
  /** 1 per tombstoned article (local id); null when none is. */
  dead: Uint8Array | null;
  /** Their share of each term's frequency (`LexicalIndex.deadFrequencies`); null when none is dead. */
  deadDf: Uint32Array | null;
}

/** Messages to the worker. */
export type ToSearchWorker =
  | { type: "open"; key: number; segments: ThreadSegment[] }
  | { type: "close"; key: number }
  | { type: "search"; id: number; key: number; queries: TermQuery[]; limit: number; params: Bm25Params };

/** Messages from the worker. */
export type FromSearchWorker =
  | { type: "opened"; key: number; error?: string }
  /** `hits` null: the version is not open there (closed, or failed to open), or the search failed (`error`). */
  | { type: "hits"; id: number; hits: LexicalHit[] | null; error?: string };

/**
 * A second thread that runs the whole-article search while the answering thread runs the passage
 * search: the two are independent until fusion, and at 200,000 articles the article search is
 * 12-18 ms of a 60-70 ms question (README, issue 14). The results are the same as in process: the
 * thread reads the same files with the same code (`SegmentedLexical` over each segment's article
 * index, with the tombstones and live frequencies the answering thread computed).
 *
 * The thread holds its own copy of the article indexes' dictionaries (~45 MiB at 200,000 articles)
 * and its own postings cache; the postings themselves stay in the files. It loads each version it
 * is given (`open`) while the answering thread keeps searching in process, and forgets it when the
 * version leaves service (`close`); segments shared by versions are read once.
 *
 * It never stands between a reader and an answer: `search` returns null (search in process) until
 * the version is open there, for a version it failed to open, and for good once the thread has
 * failed, exited or left a search unanswered for `THREAD_REPLY_TIMEOUT_MS` (the reason is logged
 * once). The worker is referenced only while a search waits on it, so it never keeps a CLI or a
 * test run alive.
 */
export class ArticleSearchThread {
  private worker: Worker | null = null;
  /** Versions the worker has open, by key. */
  private readonly open = new Set<number>();
  /** Versions sent and not yet opened or failed: what `openVersion`'s callers wait for. */
  private readonly opening = new Map<number, (opened: boolean) => void>();
  private readonly waiting = new Map<number, { resolve: (hits: LexicalHit[] | null) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  /** Why the thread is no longer used; null while it is. */
  private stoppedBecause: string | null = null;

  constructor(private readonly logger: Logger | null = null) {}

  /** Whether searches may still run there (false once it failed or was stopped). */
  get usable(): boolean {
    return this.stoppedBecause === null;
  }

  /** Whether the version `key` is open there: its searches run there from now on. */
  isOpen(key: number): boolean {
    return this.usable && this.open.has(key);
  }

  /**
   * Loads a version's article indexes in the thread (started on first use); until done, its
   * searches run in process. Resolves to whether it was opened (false: it failed, or the thread did).
   */
  openVersion(key: number, segments: ThreadSegment[]): Promise<boolean> {
    if (!this.usable) return Promise.resolve(false);
    const opened = new Promise<boolean>((resolve) => this.opening.set(key, resolve));
    this.post({ type: "open", key, segments });
    return opened;
  }

  /** Forgets a version (searches already sent are answered first). */
  closeVersion(key: number): void {
    this.open.delete(key);
    this.opening.get(key)?.(false);
    this.opening.delete(key);
    if (this.worker) this.post({ type: "close", key });
  }

  /**
   * The version's article search on the thread, or null when it must run in process (see the
   * class comment). The promise resolves to null if the thread fails before it answers.
   */
  search(key: number, queries: TermQuery[], limit: number, params: Bm25Params): Promise<LexicalHit[] | null> | null {
    if (!this.isOpen(key)) return null;
    const id = this.nextId++;
    const answered = new Promise<LexicalHit[] | null>((resolve) => {
      const timer = setTimeout(() => this.stop(`it left a search unanswered for ${THREAD_REPLY_TIMEOUT_MS / 1000} s`), THREAD_REPLY_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
    });
    this.worker!.ref();
    this.post({ type: "search", id, key, queries, limit, params });
    return answered;
  }

  /** Ends the thread; every search runs in process from now on. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.stop("it was closed", false);
    await worker?.terminate();
  }

  private post(message: ToSearchWorker): void {
    if (!this.usable) return;
    (this.worker ??= this.start()).postMessage(message);
  }

  private start(): Worker {
    const worker = new Worker(WORKER_URL, {
      stdout: false,
      stderr: false,
      workerData: { cacheBytes: THREAD_CACHE_BYTES },
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
    });
    worker.unref();
    worker.on("message", (message: FromSearchWorker) => {
      if (this.worker !== worker) return;
      if (message.type === "opened") {
        if (message.error) this.logger?.warn({ err: message.error }, "the article search thread could not open an index version: its searches run in process");
        else this.open.add(message.key);
        this.opening.get(message.key)?.(!message.error);
        this.opening.delete(message.key);
        return;
      }
      const waiting = this.waiting.get(message.id);
      if (!waiting) return;
      this.waiting.delete(message.id);
      clearTimeout(waiting.timer);
      if (this.waiting.size === 0) worker.unref();
      if (message.error) this.logger?.warn({ err: message.error }, "an article search failed in its thread: run in process");
      waiting.resolve(message.hits);
    });
    worker.on("error", (error) => this.worker === worker && this.stop(`it failed: ${error.message}`));
    worker.on("exit", (code) => this.worker === worker && this.stop(`it exited (code ${code})`));
    return worker;
  }

  /** Gives the thread up: every waiting search resolves to null (its caller searches in process). */
  private stop(reason: string, log = true): void {
    if (this.stoppedBecause !== null) return;
    this.stoppedBecause = reason;
    if (log) this.logger?.warn(`the article search thread is no longer used (${reason}): articles are searched on the answering thread`);
    const worker = this.worker;
    this.worker = null;
    this.open.clear();
    for (const resolve of this.opening.values()) resolve(false);
    this.opening.clear();
    for (const { resolve, timer } of this.waiting.values()) {
      clearTimeout(timer);
      resolve(null);
    }
    this.waiting.clear();
    if (worker && log) void worker.terminate();
  }
}
