import { parentPort } from "node:worker_threads";
import pino from "pino";
import type { TransformersEmbedder } from "../embed";
import { ParseSandbox } from "../ingest";
import type { BuildRequest, FromWorker, ToWorker } from "./build-protocol";
import { ingest } from "./ingest";
import { toThreadError } from "./thread-errors";

/**
 * The index-build worker's body (started by `buildInWorker` through build-worker.mjs): one build
 * at a time, and kept warm between builds by the answering thread (see `WARM_WORKER_IDLE_MS`). It
 * loads its own embedder from the recipe, parses the corpus in its own parse sandbox (same
 * budgets as the bot's; kept for the next build), runs `ingest()` under the lock the answering thread holds,
 * and reports progress, save steps, log lines and the outcome as messages. It writes the new
 * version to disk and sends no index back: the answering thread loads it from there.
 */
if (!parentPort) throw new Error("build-worker.ts runs as a worker thread (see buildInWorker)");
const port = parentPort;
const post = (message: FromWorker) => port.postMessage(message);

/** Save steps waiting for the answering thread's reply, by id. */
const pendingSteps = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextStep = 1;

port.on("message", (message: ToWorker) => {
  if (message.type === "start") void build(message.request);
  else if (message.type === "save-step-done") {
    const pending = pendingSteps.get(message.id);
    pendingSteps.delete(message.id);
    if (message.failed) pending?.reject(new RelayedStepFailure(message.id));
    else pending?.resolve();
  }
});
post({ type: "ready" });

/** Stands for the error the answering thread's save hook threw; that thread rethrows its own. */
class RelayedStepFailure extends Error {
  constructor(readonly step: number) {
    super(`the save hook failed at step ${step}`);
  }
}

/** The parse sandbox of the last build: its worker's start (1-2 s) is paid once, not per `/add`. */
let sandbox: { limits: string; parser: ParseSandbox } | null = null;

async function parserFor(limits: BuildRequest["config"]["parse"]): Promise<ParseSandbox> {
  const key = JSON.stringify(limits);
  if (sandbox?.limits === key) return sandbox.parser;
  await sandbox?.parser.close().catch(() => undefined);
  sandbox = { limits: key, parser: new ParseSandbox(limits) };
  return sandbox.parser;
}

async function build(request: BuildRequest): Promise<void> {
  // Lines go to the answering thread's logger, so they reach the same place in the same format.
  const logger = pino({ level: request.logLevel }, { write: (line: string) => post({ type: "log", line }) });
  const parser = await parserFor(request.config.parse);
  let embedder: TransformersEmbedder | null = null;
  // Sent after the clean-up below: the answering thread keeps this worker for the next build on receipt.
  let reply: FromWorker;
  try {
    // Imported only with a model: transformers.js and ONNX Runtime take a second or two to load,
    // which a lexical-only build (and every test without a model) need not pay.
    if (request.embedder) {
      const { TransformersEmbedder } = await import("../embed");
      embedder = await TransformersEmbedder.load({ ...request.embedder, logger });
    }
    const result = await ingest({
      config: request.config,
      logger,
      embedder,
      denseOffReason: request.denseOffReason,
      ...(request.paths ? { paths: request.paths } : {}),
      ...(request.changes ? { changes: request.changes } : {}),
      indexDir: request.indexDir,
      rebuild: request.rebuild,
      allowRemovals: request.allowRemovals,
      parser,
      callerHoldsLock: true,
      // The answering thread loads the version from disk, sharing the segments it already holds.
      returnIndex: false,
      onProgress: (progress) => post({ type: "progress", progress }),
      ...(request.saveSteps
        ? {
            onSaveStep: (file: string) =>
              new Promise<void>((resolve, reject) => {
                const id = nextStep++;
                pendingSteps.set(id, { resolve, reject });
                post({ type: "save-step", id, file });
              }),
          }
        : {}),
    });
    const { index: _index, failures, ...counts } = result;
    reply = { type: "done", outcome: { ...counts, failures: failures.map((f) => ({ path: f.path, reason: f.reason })) } };
  } catch (error) {
    reply = { type: "failed", error: toThreadError(error), ...(error instanceof RelayedStepFailure ? { relayedStep: error.step } : {}) };
  }
  await embedder?.dispose().catch(() => undefined);
  post(reply);
}
