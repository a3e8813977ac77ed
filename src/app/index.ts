export { assertCorpusPaths, describeFileFailures, failuresByFile, ingest, logFailures, type FileFailures, type IngestOptions, type IngestResult } from "./ingest";
export { QaService, type ReindexStatus, type ServiceOptions, type ServiceStatus } from "./service";
export { percentile, QuestionStats } from "./stats";
