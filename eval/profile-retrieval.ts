/**
 * Where retrieval's CPU goes: the self time of each function over N questions of a QA set, from
 * V8's sampling profiler (lexical only; the first 20 questions warm up unprofiled). With --ask,
 * the whole ask: retrieval, the reader and the composed answer.
 *
 *   npx tsx eval/profile-retrieval.ts --index DIR [--qa ../shared/data/qa/vinewsqa-dev.qa.jsonl] [--questions 300] [--top 25] [--ask]
 */
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", default: "../shared/data/qa/vinewsqa-dev.qa.jsonl" },
    questions: { type: "string", default: "300" },
    top: { type: "string", default: "25" },
    ask: { type: "boolean", default: false },
  },
});
const WARM_UP = 20;
const config = { ...loadConfig({ ...process.env, DENSE_RETRIEVAL: "off" }), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const questions = (await readQaFile(values.qa!)).slice(0, Number(values.questions)).map((item) => item.question);
const run = (question: string) => (values.ask ? service.ask(question) : service.retrieve(question, { limit: 12 }));
for (const question of questions.slice(0, WARM_UP)) await run(question);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
for (const question of questions) await run(question);
const { profile } = (await session.post("Profiler.stop")) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number } };

const sampled = new Map<number, number>();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
  self.set(where, (self.get(where) ?? 0) + (sampled.get(node.id) ?? 0));
}
const total = profile.endTime - profile.startTime;
console.log(`${questions.length} questions, ${(total / 1000).toFixed(0)} ms profiled`);
for (const [where, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${where}`);
}
