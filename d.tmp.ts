import { QaService } from "./src/app";
import { loadConfig } from "./src/config";
import { readQaFile } from "./src/eval/run";
import { silentLogger } from "./src/logger";
const service = await QaService.open({ config: { ...loadConfig({}), indexDir: "/tmp/ev-vinews" }, logger: silentLogger, embedder: null, denseOffReason: "x" });
const items = (await readQaFile("../shared/data/qa/vinewsqa-dev.qa.jsonl")).filter((_, i) => i % 7 === 0);
let n = 0, top = 0, topMiss = 0; const ex: string[] = [];
for (const it of items) {
  const { answer, retrieval } = await service.askWithEvidence(it.question);
  n++;
  const isTop = retrieval.hits[0]?.article.id === it.gold_article_id;
  const shown = answer.parts.map(p => p.quote.text).join("\n").toLowerCase();
  const ok = (it.answers ?? [it.answer!]).some(a => shown.includes(a.toLowerCase()));
  if (isTop) { top++; if (!ok) { topMiss++; if (ex.length < 8) ex.push(`Q: ${it.question}\n A: ${it.answer}\n shown: ${answer.parts.map(p=>p.quote.text.slice(0,120)).join(" | ")}`); } }
}
console.log({ n, top, topMiss });
console.log(ex.join("\n"));
