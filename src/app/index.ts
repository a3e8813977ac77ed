export { endWarmWorker, ingestInWorker, WARM_WORKER_IDLE_MS, workerEmbedder, type WorkerIngestOptions } from "./build-thread";
export { assertCorpusPaths, ingest, type CorpusChanges, type IngestOptions, type IngestResult } from "./ingest";
export { describeFileFailures, failuresByFile, logFailures, type FileFailures } from "./skipped";
export { QaService, SEARCH_THREAD_MIN_ARTICLES, type ReindexStatus, type ServiceOptions, type ServiceStatus } from "./service";
export { percentile, QuestionStats } from "./stats";
