export { ingest, type IngestOptions, type IngestResult } from "./ingest";
export { QaService, type ReindexStatus, type ServiceOptions, type ServiceStatus } from "./service";
export { percentile, QuestionStats } from "./stats";
