/**
 * Ask latency of English and Vietnamese questions side by side, alternating in one process (the
 * same XQuAD questions in both languages, every 20th, 40 of each): an English question with the
 * model on embeds its best passages' sentences (src/read/cross-lingual.ts), a Vietnamese one not.
 *
 *   EMBEDDING_MODEL=DIR npx tsx eval/latency-by-language.ts INDEX_DIR
 */
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";
const config = { ...loadConfig(process.env), indexDir: process.argv[2]! };
const service = await QaService.open({ config, logger: createLogger("error") });
const en = (await readQaFile("../shared/data/qa/xquad-en2vi.qa.jsonl")).filter((_, i) => i % 20 === 0).slice(0, 40);
const vi = (await readQaFile("../shared/data/qa/xquad-vi.qa.jsonl")).filter((_, i) => i % 20 === 0).slice(0, 40);
const t: Record<string, number[]> = { en: [], vi: [] };
for (let i = 0; i < 3; i++) await service.ask(vi[i]!.question);
for (let i = 0; i < en.length; i++) {
  for (const [k, item] of [["en", en[i]!], ["vi", vi[i]!]] as const) {
    const s = performance.now(); await service.ask(item.question); t[k]!.push(performance.now() - s);
  }
}
const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))]!.toFixed(0);
for (const k of ["en", "vi"]) console.log(k, "p50", q(t[k]!, 0.5), "p95", q(t[k]!, 0.95), "n", t[k]!.length);
