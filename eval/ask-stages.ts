/**
 * Where an ask's time goes: retrieval, reading and composing timed apart over the first N questions
 * of a QA set (the first 20 warm up and are not counted), lexical only.
 *
 *   npx tsx eval/ask-stages.ts --index DIR [--qa ../shared/data/qa/vinewsqa-dev.qa.jsonl] [--questions 300]
 *
 * Compare two settings or two commits by running them alternately in one session: the machine's
 * load moves every figure.
 */
import { parseArgs } from "node:util";
import { composeAnswer } from "../src/answer";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { read } from "../src/read";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", default: "../shared/data/qa/vinewsqa-dev.qa.jsonl" },
    questions: { type: "string", default: "300" },
  },
});
const WARM_UP = 20;
const config = { ...loadConfig({ ...process.env, DENSE_RETRIEVAL: "off" }), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const items = (await readQaFile(values.qa!)).slice(0, Number(values.questions));
const times = { retrieve: [] as number[], read: [] as number[], compose: [] as number[] };
for (const [i, item] of items.entries()) {
  const started = performance.now();
  const retrieval = await service.retrieve(item.question, { limit: 12 });
  const retrieved = performance.now();
  const reading = read({ ...retrieval, cosines: null }, service.index);
  const readAt = performance.now();
  composeAnswer(item.question, retrieval, reading, config.answer);
  const composed = performance.now();
  if (i < WARM_UP) continue;
  times.retrieve.push(retrieved - started);
  times.read.push(readAt - retrieved);
  times.compose.push(composed - readAt);
}
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))] ?? 0;
for (const [stage, xs] of Object.entries(times)) {
  const mean = xs.reduce((sum, x) => sum + x, 0) / Math.max(1, xs.length);
  console.log(`${stage.padEnd(8)} p50 ${percentile(xs, 0.5).toFixed(1)} ms  p95 ${percentile(xs, 0.95).toFixed(1)} ms  mean ${mean.toFixed(1)} ms`);
}
