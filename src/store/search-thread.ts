import { Worker } from "node:worker_threads";
import type { Logger } from "../logger";
import type { LexicalHit, TermQuery } from "./lexical";
import type { IdRange } from "./segmented-lexical";

const WORKER_URL = new URL("./search-worker.mjs", import.meta.url);

/**
 * How long a search waits for the thread's answer before it is done in process instead, and the
 * thread given up: a search there takes milliseconds, so a thread that does not answer in
 * seconds is stuck, and a reader must not wait on it.
 */
export const THREAD_REPLY_TIMEOUT_MS = 5_000;

/**
 * The thread's own postings cache (the answering thread's is `POSTINGS_CACHE_BYTES`). Both read
 * the whole lists their shares walk. At 200,000 articles, 600 questions, sizes in turn: ask mean /
 * p95 with 32 MiB 51.9 / 89.3, 49.0 / 89.3 and 48.3 / 84.0 ms; 64 MiB 41.9 / 66.6 and 47.2 / 75.0;
 * 96 MiB 47.9 / 79.9, 42.3 / 69.5 and 42.4 / 67.5; RSS after them 963-1,055, 1,009-1,072 and
 * 1,111-1,126 MiB.
 */
export const THREAD_CACHE_BYTES = 64 * 2 ** 20;

/**
 * The thread's young generation (MiB). A search leaves little garbage (its hits, its scoring
 * units): at 200,000 articles V8's default let the thread's heap grow to 44 MiB, 4 holds it to 21.
 */
const THREAD_YOUNG_GENERATION_MB = 4;

/** Which documents of one of a segment's indexes are tombstoned, as the answering thread counted them. */
export interface ThreadTombstones {
  /** 1 per tombstoned document (local id); null when none is. */
  dead: Uint8Array | null;
  /** Their share of each term's frequency (`LexicalIndex.deadFrequencies`); null when none is dead. */
  deadDf: Uint32Array | null;
}

/** One segment of a version as the thread reads it: its passage and article indexes, and their tombstones there. */
export interface ThreadSegment {
  /**
   * The segment's name: a segment is read once for every version that holds it, as the answering
   * thread does (`loadIndex`), though each version links its files in a folder of its own.
   */
  name: string;
  /**
   * Its folder in the version sent, which exists while that version is in service (the folder the
   * answering thread first read a segment from may be gone: only two versions are kept).
   */
  folder: string;
  passages: ThreadTombstones;
  articles: ThreadTombstones;
}

/** What the thread searches for a question: whole articles, and the passages of a range of ids. */
export interface ThreadSearch {
  queries: TermQuery[];
  articleLimit: number;
  passageRange: IdRange;
  passageLimit: number;
}

/** Its hits (slot ids), each list best first. */
export interface ThreadHits {
  articles: LexicalHit[];
  passages: LexicalHit[];
}

/** Messages to the worker. */
export type ToSearchWorker =
  | { type: "open"; key: number; segments: ThreadSegment[] }
  | { type: "close"; key: number }
  | ({ type: "search"; id: number; key: number } & ThreadSearch);

/** Messages from the worker. */
export type FromSearchWorker =
  | { type: "opened"; key: number; error?: string }
  /** `hits` null: the version is not open there (closed, or failed to open), or the search failed (`error`). */
  | { type: "hits"; id: number; hits: ThreadHits | null; error?: string };

/**
 * A second thread for a question's searches (`CorpusIndex.searchBoth`): while the answering
 * thread searches its share of the passages, this one searches the rest of them and the whole
 * articles. The searches are independent until fusion, and at 200,000 articles they are most of
 * a question (passages 45-52 ms on average, articles 12-18, the rest ~8). The hits are the same as
 * in process: the thread reads the same files with the same code (`SegmentedLexical` over each
 * segment's indexes, with the tombstones and live frequencies the answering thread computed), and
 * the best passages of all are the best of the two shares' (`mergeHits`).
 *
 * The thread holds its own copy of the indexes' dictionaries, offsets and passage lengths (~45 MiB
 * at 200,000 articles) and its own postings cache; the postings themselves stay in the files. It
 * loads each version it is given (`openVersion`) while the answering thread keeps searching in
 * process, and forgets it when the version leaves service (`closeVersion`); segments shared by
 * versions are read once.
 *
 * It never stands between a reader and an answer: `search` returns null (search in process) until
 * the version is open there, for a version it failed to open, and for good once the thread has
 * failed, exited or left a search unanswered for `THREAD_REPLY_TIMEOUT_MS` (the reason is logged
 * once). The worker is referenced only while a search waits on it, so it never keeps a CLI or a
 * test run alive.
 */
export class SearchThread {
  private worker: Worker | null = null;
  /** Versions the worker has open, by key. */
  private readonly open = new Set<number>();
  /** Versions sent and not yet opened or failed: what `openVersion`'s callers wait for. */
  private readonly opening = new Map<number, (opened: boolean) => void>();
  private readonly waiting = new Map<number, { resolve: (hits: ThreadHits | null) => void; timer: NodeJS.Timeout }>();
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
   * Loads a version's indexes in the thread (started on first use); until done, its
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
   * The thread's part of a question's searches, or null when they must run in process (see the
   * class comment). The promise resolves to null if the thread fails before it answers.
   */
  search(key: number, search: ThreadSearch): Promise<ThreadHits | null> | null {
    if (!this.isOpen(key)) return null;
    const id = this.nextId++;
    const answered = new Promise<ThreadHits | null>((resolve) => {
      const timer = setTimeout(() => this.stop(`it left a search unanswered for ${THREAD_REPLY_TIMEOUT_MS / 1000} s`), THREAD_REPLY_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
    });
    this.worker!.ref();
    this.post({ type: "search", id, key, ...search });
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
        if (!this.opening.has(message.key)) return; // closed while it was being opened
        if (message.error) this.logger?.warn({ err: message.error }, "the search thread could not open an index version: its searches run in process");
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
      if (message.error) this.logger?.warn({ err: message.error }, "a search failed on the search thread: run in process");
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
    if (log) this.logger?.warn(`the search thread is no longer used (${reason}): questions are searched on the answering thread alone`);
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
