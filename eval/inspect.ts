/**
 * Looks at answers the way a reader does: for a sample of a QA set, the question, the gold answer,
 * what the product shows first, and where the reader ranked the window that holds the gold answer.
 *
 *   npx tsx eval/inspect.ts --index DIR --qa FILE [--limit N] [--offset K] [--misses] [--unaccented]
 */
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile, stripDiacritics } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { nfc } from "../src/text/vietnamese";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string" },
    limit: { type: "string", default: "20" },
    offset: { type: "string", default: "0" },
    misses: { type: "boolean", default: false },
    unaccented: { type: "boolean", default: false },
  },
});
const config = { ...loadConfig(process.env), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const items = (await readQaFile(values.qa!)).slice(Number(values.offset));
const norm = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();
let shown = 0;
for (const item of items) {
  if (shown >= Number(values.limit)) break;
  const question = values.unaccented ? stripDiacritics(item.question) : item.question;
  const { answer, retrieval, reading } = await service.askWithEvidence(question);
  const golds = (item.answers?.length ? item.answers : [item.answer ?? ""]).map(norm).filter(Boolean);
  const holds = (text: string) => golds.some((g) => norm(text).includes(g));
  const first = answer.parts[0]?.quote.text ?? "";
  const ok = item.gold_article_id === null ? answer.notFound : !answer.notFound && holds(first);
  if (values.misses && ok) continue;
  shown++;
  const goldRank = reading.windows.findIndex((w) => holds(w.article.body.slice(w.start, w.end)));
  const goldWindow = reading.windows[goldRank];
  const articleRank = [...new Set(retrieval.hits.map((h) => h.article.id))].indexOf(item.gold_article_id ?? "");
  console.log(`\n#${item.id} [${reading.type ?? "other"}] ${question}`);
  console.log(`  gold: ${golds.join(" | ") || "(off-corpus)"}   gold article rank ${articleRank}`);
  if (answer.notFound) console.log(`  NOT FOUND (best support ${reading.windows[0]?.support.toFixed(2)})`);
  answer.parts.forEach((p, i) => {
    const w = reading.windows.find((x) => x.article.id === p.articleId && x.start === p.quote.start);
    const span = p.answerSpan ? p.quote.text.slice(p.answerSpan.start - p.quote.start, p.answerSpan.end - p.quote.start) : "–";
    console.log(`  ${i === 0 ? "FIRST" : "more "} [${p.citation}] s=${w?.score.toFixed(3)} ev=${w?.evidence.toFixed(2)} c=${w?.constraints.toFixed(2)} span=«${span}» ${p.quote.text.slice(0, 220)}`);
  });
  if (goldWindow) console.log(`  gold window #${goldRank} s=${goldWindow.score.toFixed(3)} ev=${goldWindow.evidence.toFixed(2)} c=${goldWindow.constraints.toFixed(2)} ${goldWindow.article.body.slice(goldWindow.start, goldWindow.end).slice(0, 220)}`);
}
