import { Worker } from "node:worker_threads";
import { ArticleParseError, BuildStoppedError } from "../domain/errors";
import type { Embedder } from "../domain/types";
import type { EmbedderRecipe } from "../embed";
import type { Logger } from "../logger";
import { acquireBuildLock, loadIndex, sweepLeftovers } from "../store";
import type { BuildOutcome, BuildRequest, FromWorker, ToWorker } from "./build-protocol";
import { assertCorpusPaths, type IngestOptions, type IngestResult } from "./ingest";
import { fromThreadError } from "./thread-errors";

const WORKER_URL = new URL("./build-worker.mjs", import.meta.url);

export interface WorkerIngestOptions extends Omit<IngestOptions, "parser" | "callerHoldsLock" | "returnIndex"> {
  /** Stops the build: the worker is terminated, as if it had crashed (`BuildStoppedError`). */
  signal?: AbortSignal;
}

/**
 * How the build worker can get the same model as `embedder`: its recipe, `null` for no model, or
 * `undefined` when it cannot (an embedder object injected by a test or a library user: it cannot
 * be sent to another thread, and the worker would not know how to load it).
 *
 * The worker's model gets one onnxruntime thread fewer than the answering thread's (at least one):
 * a batch keeps every thread it has busy for its whole run, and with all cores taken a reader's
 * question embedding queued behind it (bench:reindex, 2 cores: reader p95 +205 ms with both
 * threads to the build). The build takes longer; readers do not wait.
 */
export function workerEmbedder(embedder: Embedder | null): EmbedderRecipe | null | undefined {
  if (embedder === null) return null;
  const recipe = (embedder as Embedder & { recipe?: EmbedderRecipe }).recipe;
  return recipe && { ...recipe, threads: Math.max(1, recipe.threads - 1) };
}

/**
 * `ingest()` in a worker thread: what the bot runs for `/reindex`, `/add`, uploads, `/delete`
 * and feed items, so that readers keep their answers while an admin changes the corpus.
 *
 * Why a worker: the build (parse, chunk, embed, BM25 postings, vocabulary, HNSW, save) is seconds
 * of synchronous work on the thread it runs on: at 300 articles readers waited 2.4-3.0 s, and
 * each batch of a real model blocks 0.4-1.8 s. In a worker the answering thread only loads the
 * finished version (`loadIndex`) and the caller swaps it in. A worker thread rather than a child
 * process: it starts faster, shares the process's pid (and so its build lock), and is killed with
 * the bot.
 *
 * What stays as strong as in process:
 * - The build lock is taken here, by the thread that outlives the worker, before the worker
 *   starts, and released only after the new version is loaded (or the failed build cleaned up).
 *   A worker taking it itself would leave a lock with our own pid that no thread of ours lists
 *   as held: `acquireBuildLock` would take it for a stale one.
 * - A worker that throws, runs out of memory or is killed (`signal`) never switched CURRENT, or
 *   did so completely: the staging folder it left is swept here while the lock is still held, and
 *   the version in service stays. Its errors come back as the same classes (thread-errors.ts),
 *   so the admin reads the same words.
 * - `allowRemovals`, progress and the save-step hook (crash tests) work as in process: progress
 *   is posted, and each save step waits for the hook to run on this thread.
 *
 * The worker loads its own copy of the model (from `embedderRecipe`) for each build and frees it
 * after. The worker itself (and its parse sandbox) is kept for the next build for a while
 * (`WARM_WORKER_IDLE_MS`): its start is a third of a single `/add` on 2,653 articles.
 */
export async function ingestInWorker(options: WorkerIngestOptions & { embedderRecipe: EmbedderRecipe | null }): Promise<IngestResult> {
  const { config, logger } = options;
  const paths = options.paths?.length ? options.paths : [config.corpusDir];
  await assertCorpusPaths(paths);
  const dir = options.indexDir ?? config.indexDir;
  const lock = await acquireBuildLock(dir);
  try {
    await sweepLeftovers(dir);
    let outcome: BuildOutcome;
    try {
      outcome = await runWorker(
        {
          config: { ...config, telegram: { ...config.telegram, token: "" } },
          paths,
          ...(options.changes ? { changes: options.changes } : {}),
          indexDir: dir,
          rebuild: options.rebuild ?? false,
          allowRemovals: options.allowRemovals ?? false,
          embedder: options.embedderRecipe,
          denseOffReason: options.denseOffReason,
          logLevel: logger.level,
          saveSteps: options.onSaveStep !== undefined,
        },
        options,
      );
    } catch (error) {
      // What a worker that died mid-save left: its own clean-up never ran. Under the lock still.
      await sweepLeftovers(dir).catch(() => undefined);
      throw error;
    }
    const { embedder } = options;
    // Segments the new version shares with the one in service (all but one after an incremental
    // build) are taken from it, not read again: only the new segment is loaded.
    const model = embedder ? { id: embedder.modelId, dimensions: embedder.dimensions } : null;
    const index = outcome.written ? await loadIndex(dir, { model, previous: options.previous ?? null }) : null;
    return { ...outcome, failures: outcome.failures.map((f) => new ArticleParseError(f.path, f.reason)), index };
  } finally {
    await lock.release();
  }
}

/**
 * How long a build worker is kept after its build, for the next one (ms). Starting one costs
 * 1.2-2.2 s on a loaded 2-core machine (tsx, the store's modules, then the parse sandbox's own
 * worker), a third of a single `/add` on 2,653 articles; admins add in bursts and feeds poll every
 * few minutes. An idle bot then frees the worker's memory.
 */
export const WARM_WORKER_IDLE_MS = 5 * 60_000;

/** The build worker kept between builds (unreferenced: it never keeps the process alive). */
let warm: { worker: Worker; timer: NodeJS.Timeout; forget: () => void } | null = null;

function takeWarm(): Worker | null {
  if (!warm) return null;
  const { worker, timer, forget } = warm;
  warm = null;
  clearTimeout(timer);
  worker.off("error", forget).off("exit", forget);
  worker.ref();
  return worker;
}

function keepWarm(worker: Worker): void {
  void endWarmWorker();
  worker.unref();
  const forget = () => {
    if (warm?.worker === worker) warm = null;
  };
  const timer = setTimeout(() => void endWarmWorker(), WARM_WORKER_IDLE_MS);
  timer.unref();
  worker.on("error", forget).on("exit", forget);
  warm = { worker, timer, forget };
}

/** Ends the build worker kept between builds, if any (a bot shutting down, a test's clean-up). */
export async function endWarmWorker(): Promise<void> {
  const worker = takeWarm();
  await worker?.terminate();
}

/**
 * Starts the worker (or takes the warm one), relays its messages, and settles with its outcome.
 * A worker that finished its build (done, or failed with an error it caught) is kept warm; one
 * that was stopped, crashed or exited is ended.
 */
function runWorker(request: BuildRequest, options: WorkerIngestOptions): Promise<BuildOutcome> {
  const { logger, signal } = options;
  const log = logger.child({ thread: "build" });
  return new Promise<BuildOutcome>((resolve, reject) => {
    if (signal?.aborted) return reject(new BuildStoppedError("it was stopped"));
    const reused = takeWarm();
    const worker = reused ?? new Worker(WORKER_URL, { stdout: false, stderr: false });
    const send = (message: ToWorker) => worker.postMessage(message);
    /** Errors the save hook threw on this thread, by step: rethrown as they are (the same object). */
    const hookErrors = new Map<number, unknown>();
    let settled = false;
    const settle = (then: () => void, reusable = false) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", stop);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      then();
      if (reusable) keepWarm(worker);
      else void worker.terminate();
    };
    const stop = () => settle(() => reject(new BuildStoppedError("it was stopped")));
    signal?.addEventListener("abort", stop, { once: true });

    const onMessage = (message: FromWorker) => {
      if (settled) return;
      switch (message.type) {
        case "ready":
          send({ type: "start", request });
          break;
        case "progress":
          options.onProgress?.(message.progress);
          break;
        case "save-step":
          void (async () => {
            try {
              await options.onSaveStep?.(message.file);
              send({ type: "save-step-done", id: message.id, failed: false });
            } catch (error) {
              hookErrors.set(message.id, error);
              send({ type: "save-step-done", id: message.id, failed: true });
            }
          })();
          break;
        case "log":
          relayLog(log, message.line);
          break;
        case "done":
          settle(() => resolve(message.outcome), true);
          break;
        case "failed": {
          const relayed = message.relayedStep !== undefined && hookErrors.has(message.relayedStep);
          settle(() => reject(relayed ? hookErrors.get(message.relayedStep!) : fromThreadError(message.error)), true);
          break;
        }
      }
    };
    const onError = (error: Error & { code?: string }) => {
      const reason =
        error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "it ran out of memory" : `an internal error: ${error.name}; the details are in the bot's log`;
      log.error({ err: error }, "the index build thread failed");
      settle(() => reject(new BuildStoppedError(reason)));
    };
    const onExit = (code: number) => settle(() => reject(new BuildStoppedError(`the build thread exited with code ${code}`)));
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    // A warm worker said "ready" long ago.
    if (reused) send({ type: "start", request });
  });
}

const LEVELS: Record<number, "trace" | "debug" | "info" | "warn" | "error" | "fatal"> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** One pino line of the worker, logged again on this thread (its own time, pid and host dropped). */
function relayLog(logger: Logger, line: string): void {
  try {
    const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line) as Record<string, unknown> & { level: number; msg?: string };
    logger[LEVELS[level] ?? "info"](fields, msg ?? "");
  } catch {
    logger.info(line.trim());
  }
}
