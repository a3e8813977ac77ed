import { parentPort } from "node:worker_threads";
import { runParseJob, type ParseJob } from "./parse-job";

/**
 * The parse worker's body (started by `ParseSandbox` through parse-worker.mjs): it answers each
 * `{ id, job }` with `{ id, outcome }`, one at a time. It holds no state between jobs, so the
 * sandbox may terminate it at any moment (time or memory over budget) and start another.
 */
if (!parentPort) throw new Error("parse-worker.ts runs as a worker thread (see ParseSandbox)");
const port = parentPort;
port.on("message", ({ id, job }: { id: number; job: ParseJob }) => {
  port.postMessage({ id, outcome: runParseJob(job) });
});
port.postMessage({ ready: true });
