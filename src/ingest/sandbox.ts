import { Worker } from "node:worker_threads";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import type { CorpusFile, ParsedFile } from "./files";
import type { HtmlOptions } from "./html";
import { toParsedFile, type ParseJob, type ParseOutcome } from "./parse-job";

/** The budget of one parse job. */
export interface SandboxLimits {
  /** Time for one job of up to 1 MB of text; a larger job gets as many times this as it has started megabytes. */
  timeoutSeconds: number;
  /** The worker's heap (V8 old generation); a job that needs more is refused. */
  memoryMb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeoutSeconds: 10, memoryMb: 512 };

const WORKER_URL = new URL("./parse-worker.mjs", import.meta.url);
const MB = 1024 * 1024;

interface Running {
  id: number;
  /** The file (or page) being parsed, named in refusals. */
  path: string;
  resolve: (outcome: ParseOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * Parsing of untrusted documents (uploads, pages from `/add` and feeds, the corpus during a
 * bot's re-index) off the main thread, within a time and a memory budget.
 *
 * Why: the bot answers readers on one event loop. A parser that is slow on some input (an
 * HTML page of 2,500 nested <div>s took 187 s in linkedom) would stop every answer meanwhile.
 * In a worker the loop keeps answering, and a job over budget is ended by terminating the
 * worker: the only way to stop synchronous JavaScript. The file is then refused with the
 * reason, and the next job gets a fresh worker.
 *
 * One worker, one job at a time: parsing is a small share of an admin's action, and one
 * worker bounds the memory a burst of uploads can take to one budget.
 *
 * @example
 *   const sandbox = new ParseSandbox({ timeoutSeconds: 10, memoryMb: 512 });
 *   const { articles, failures } = await sandbox.parseFile(file, text);
 *   await sandbox.close();
 */
export class ParseSandbox {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(readonly limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS) {}

  /**
   * A corpus file's text → its articles and failures. Never rejects for the file's sake: a job
   * over budget, or a worker that dies on it, is one failure naming `file.path`.
   */
  async parseFile(file: CorpusFile, text: string): Promise<ParsedFile> {
    try {
      return toParsedFile(await this.run({ kind: "file", file, text }, file.path, text.length));
    } catch (error) {
      if (error instanceof ArticleParseError) return { articles: [], failures: [error] };
      throw error;
    }
  }

  /**
   * A fetched page → its article.
   * @throws ArticleParseError(source, …) when the page holds no article or is over budget.
   */
  async parsePage(html: string, source: string, url?: string, options: HtmlOptions = {}): Promise<Article> {
    const parsed = toParsedFile(await this.run({ kind: "page", html, source, ...(url ? { url } : {}), options }, source, html.length));
    const article = parsed.articles[0];
    if (!article) throw parsed.failures[0] ?? new ArticleParseError(source, "no article found in the page");
    return article;
  }

  /** Ends the worker (jobs in flight fail). The sandbox may be used again: it starts a new one. */
  async close(): Promise<void> {
    const [worker, running] = [this.worker, this.running];
    this.worker = null;
    this.ready = null;
    running?.reject(new ArticleParseError(running.path, "the parser was stopped while reading this file"));
    await worker?.terminate();
  }

  /** The time a job of `chars` characters may take, in ms. */
  budgetMs(chars: number): number {
    return this.limits.timeoutSeconds * 1000 * Math.max(1, Math.ceil(chars / MB));
  }

  /** Queues a job behind the others; `path` names the file in refusals. */
  private run(job: ParseJob, path: string, chars: number): Promise<ParseOutcome> {
    const result = this.queue.then(() => this.runNow(job, path, chars));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(job: ParseJob, path: string, chars: number): Promise<ParseOutcome> {
    // The worker's start (loading the parsers) is not charged to the file.
    const worker = await this.start();
    const budgetMs = this.budgetMs(chars);
    return new Promise<ParseOutcome>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.fail(new ArticleParseError(path, `parsing took longer than ${budgetMs / 1000} s, the limit for a file of this size: refused (split or simplify the file)`));
      }, budgetMs);
      let settled = false;
      const settle = <T>(then: (value: T) => void) => (value: T): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.running?.id === id) this.running = null;
        then(value);
      };
      this.running = { id, path, resolve: settle(resolve), reject: settle(reject) };
      worker.postMessage({ id, job });
    });
  }

  /** Ends the job in flight with `error` and the worker with it (a fresh one serves the next job). */
  private fail(error: Error): void {
    this.running?.reject(error);
    void this.close();
  }

  private start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, {
        resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
        stdout: false,
        stderr: false,
      });
      // A worker waiting for jobs must not keep the process (a CLI, a test run) alive.
      worker.unref();
      this.worker = worker;
      let started = false;
      // Events of a worker that was replaced (terminated over budget) concern no job any more.
      const current = (): boolean => this.worker === worker;
      worker.on("message", (message: { ready?: true; id?: number; outcome?: ParseOutcome }) => {
        if (!current()) return;
        if (message.ready) {
          started = true;
          resolve(worker);
        } else if (this.running && message.id === this.running.id && message.outcome) {
          this.running.resolve(message.outcome);
        }
      });
      worker.on("error", (error: Error & { code?: string }) => {
        if (!started) return reject(new Error(`the parser could not start: ${error.message}`));
        if (!current() || !this.running) return;
        const reason =
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `parsing needed more than ${this.limits.memoryMb} MB of memory: refused (split or simplify the file)`
            : `the parser failed on this file: ${error.message}`;
        this.fail(new ArticleParseError(this.running.path, reason));
      });
      worker.on("exit", () => {
        if (!started) reject(new Error("the parser could not start (the worker exited)"));
        if (!current()) return;
        this.worker = null;
        this.ready = null;
        // An exit with a job in flight that no `error` explained.
        const running = this.running;
        running?.reject(new ArticleParseError(running.path, "the parser stopped while reading this file: refused"));
      });
    });
    return this.ready;
  }
}
