/**
 * Would a cosine floor tell off-corpus questions from answerable ones? For each question of the
 * sets (dense on), the similarity of its closest passage and whether the product answers it; then,
 * for each floor, the share answered if questions under it were refused ("not found" on answerable
 * sets, on off-corpus sets), and first-quote containment. English questions are left out (their
 * cosines run lower; see README, "Reading").
 *
 *   EMBEDDING_MODEL=DIR npx tsx eval/dense-floor.ts --index DIR --qa FILE [--qa FILE ...] [--floors 0.8,0.82,0.83,0.84,0.85]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { nfc } from "../src/text/vietnamese";

const { values } = parseArgs({
  options: { index: { type: "string" }, qa: { type: "string", multiple: true }, floors: { type: "string", default: "0,0.8,0.82,0.83,0.84,0.85" } },
});
const config = { ...loadConfig(process.env), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
if (!service.denseOn) throw new Error("dense retrieval is off: set EMBEDDING_MODEL to the model the index was built with");
const norm = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();

interface Row {
  answered: boolean;
  first: boolean;
  bestDense: number | null;
}
const floors = values.floors.split(",").map(Number);
for (const file of values.qa ?? []) {
  for (const split of ["calibration", "heldout", null]) {
    const items = (await readQaFile(file)).filter((item) => (item.split ?? null) === split);
    if (items.length === 0) continue;
    const rows: Row[] = [];
    for (const item of items) {
      const { answer, retrieval } = await service.askWithEvidence(item.question);
      if (retrieval.query.language === "en") continue;
      const golds = (item.answers?.length ? item.answers : [item.answer ?? ""]).map(norm).filter(Boolean);
      const first = !answer.notFound && golds.some((g) => norm(answer.parts[0]?.quote.text ?? "").includes(g));
      rows.push({ answered: !answer.notFound, first, bestDense: retrieval.bestDense });
    }
    const off = items[0]!.gold_article_id === null;
    const kept = (r: Row, floor: number) => r.bestDense === null || r.bestDense >= floor;
    const line = floors.map((floor) => {
      const answered = rows.filter((r) => r.answered && kept(r, floor)).length / rows.length;
      const first = rows.filter((r) => r.first && kept(r, floor)).length / rows.length;
      return off ? `${floor}: not found ${(1 - answered).toFixed(3)}` : `${floor}: not found ${(1 - answered).toFixed(3)}, first ${first.toFixed(3)}`;
    });
    console.log(`${path.basename(file, ".qa.jsonl")}${split ? ` (${split})` : ""}, ${rows.length} Vietnamese questions | ${line.join(" | ")}`);
  }
}
