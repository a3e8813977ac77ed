// Bootstrap of the parse worker thread. Node cannot load TypeScript by itself, and a worker
// does not always inherit the parent's loader: under `tsx` (npm start) it does, through
// execArgv, but under vitest the parent's TypeScript comes from vite-node, which workers do
// not see. Registering tsx's loader here makes both work; registering it twice is harmless.
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
