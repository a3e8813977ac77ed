/**
 * Where the gold answer stands among the reader's windows, over a QA set: shown first, ranked 1-2,
 * 3-9, 10 or lower, not in any window (its article not read), with whether any quote shown holds
 * it and whether the answer was "not found". Tells the reader's misses from the retriever's.
 *
 *   npx tsx eval/where-gold.ts --index DIR --qa FILE [--limit N]
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { nfc } from "../src/text/vietnamese";
const { values } = parseArgs({ options: { index: { type: "string" }, qa: { type: "string" }, limit: { type: "string", default: "100000" } } });
const config = { ...loadConfig(process.env), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const items = (await readQaFile(values.qa!)).slice(0, Number(values.limit));
const norm = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();
const hist = new Map<string, number>();
const add = (k: string) => hist.set(k, (hist.get(k) ?? 0) + 1);
let n = 0;
for (const item of items) {
  if (item.gold_article_id === null) continue;
  n++;
  const { answer, reading } = await service.askWithEvidence(item.question);
  const golds = (item.answers?.length ? item.answers : [item.answer ?? ""]).map(norm).filter(Boolean);
  const holds = (t: string) => golds.some((g) => norm(t).includes(g));
  const r = reading.windows.findIndex((w) => holds(w.article.body.slice(w.start, w.end)));
  const inArticle = reading.windows.findIndex((w) => w.article.id === item.gold_article_id);
  const firstOk = !answer.notFound && holds(answer.parts[0]?.quote.text ?? "");
  const anyOk = !answer.notFound && answer.parts.some((p) => holds(p.quote.text));
  const bucket = r < 0 ? (inArticle < 0 ? "gold article not read" : "no window holds gold") : r === 0 ? "rank0" : r < 3 ? "rank1-2" : r < 10 ? "rank3-9" : "rank10+";
  add(`${bucket} first=${firstOk} any=${anyOk} nf=${answer.notFound}`);
}
for (const [k, v] of [...hist].sort()) console.log(`${(v / n).toFixed(3)} ${v} ${k}`);
