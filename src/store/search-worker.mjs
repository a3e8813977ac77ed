// Bootstrap of the search thread; see src/ingest/parse-worker.mjs for why a worker
// registers tsx itself (under vitest the parent's TypeScript loader is not inherited).
import { register } from "tsx/esm/api";

register();
await import("./search-worker.ts");
