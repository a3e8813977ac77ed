import { parentPort } from "node:worker_threads";
import pino from "pino";
import type { TransformersEmbedder } from "../embed";
import { ParseSandbox } from "../ingest";
import type { BuildRequest, FromWorker, ToWorker } from "./build-protocol";
import { ingest } from "./ingest";
import { toThreadError } from "./thread-errors";

/**
 * The index-build worker's body (started by `buildInWorker` through build-worker.mjs): one build
 * per worker. It loads its own embedder from the recipe, parses the corpus in its own parse
 * sandbox (same budgets as the bot's), runs `ingest()` under the lock the answering thread holds,
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

async function build(request: BuildRequest): Promise<void> {
  // Lines go to the answering thread's logger, so they reach the same place in the same format.
  const logger = pino({ level: request.logLevel }, { write: (line: string) => post({ type: "log", line }) });
  const parser = new ParseSandbox(request.config.parse);
  let embedder: TransformersEmbedder | null = null;
  // Sent after the clean-up below: the answering thread ends this worker on receipt.
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
  await parser.close().catch(() => undefined);
  await embedder?.dispose().catch(() => undefined);
  post(reply);
}
