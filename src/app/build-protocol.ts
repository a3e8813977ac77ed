import type { Config } from "../config";
import type { EmbedderRecipe } from "../embed";
import type { BuildProgress } from "../store";
import type { CorpusChanges, IngestResult } from "./ingest";
import type { ThreadError } from "./thread-errors";

/**
 * The messages between the answering thread (build-thread.ts) and the build worker
 * (build-worker.ts). Plain data only: functions, class instances and the embedder stay on their
 * side, which is why the model travels as its recipe and save steps as a request and a reply.
 */

/** What to build: `ingest()`'s options, as data. */
export interface BuildRequest {
  /** The settings, with the Telegram token blanked: the worker has no use for it. */
  config: Config;
  paths?: string[];
  /** Only these files changed (see `IngestOptions.changes`). */
  changes?: CorpusChanges;
  indexDir: string;
  rebuild: boolean;
  allowRemovals: boolean;
  /** null: no model (lexical index only; `denseOffReason` says why). */
  embedder: EmbedderRecipe | null;
  denseOffReason: string | null;
  /** The answering thread's log level: the worker's lines are sent back and logged there. */
  logLevel: string;
  /** Ask the answering thread before each file of the save (its `onSaveStep` hook is set). */
  saveSteps: boolean;
}

/** A finished build, without the index (the answering thread loads it from disk). */
export type BuildOutcome = Omit<IngestResult, "index" | "failures"> & { failures: Array<{ path: string; reason: string }> };

export type ToWorker =
  | { type: "start"; request: BuildRequest }
  /** The answer to a `save-step`: go on, or fail the save (the hook threw). */
  | { type: "save-step-done"; id: number; failed: boolean };

export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; progress: BuildProgress }
  | { type: "save-step"; id: number; file: string }
  /** One pino line of the worker's logger (JSON). */
  | { type: "log"; line: string }
  | { type: "done"; outcome: BuildOutcome }
  /** `relayedStep`: the build failed because the answering thread's save hook threw at that step. */
  | { type: "failed"; error: ThreadError; relayedStep?: number };
