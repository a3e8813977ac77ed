/**
 * Would the model choose a Vietnamese question's first quote better than the words do? Each
 * question is retrieved and read lexically, as the product does without a model; then its best K
 * windows (the reader's order) are embedded as passages, and re-ranked by
 *
 *   log(window score / best window score) + λ × (window cosine − best cosine among the K)
 *
 * Prints, per set, the share of questions whose first window holds a gold answer: the reader's own
 * order, and each (K, λ). Only the calibration half of a split set is read.
 *
 *   EMBEDDING_MODEL=DIR ALLOW_REMOTE_MODELS=false npx tsx eval/window-similarity.ts --index DIR \
 *     --qa FILE [--qa FILE ...] [--every 3] [--windows 3,5,10] [--lambdas 3,5,10]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { cosine, loadEmbedderOrExplain } from "../src/embed";
import { inHalf, readQaFile } from "../src/eval/run";
import { createLogger, silentLogger } from "../src/logger";
import { nfc } from "../src/text/vietnamese";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", multiple: true },
    every: { type: "string", default: "1" },
    windows: { type: "string", default: "3,5,10" },
    lambdas: { type: "string", default: "3,5,10" },
  },
});
const ks = values.windows.split(",").map(Number);
const lambdas = values.lambdas.split(",").map(Number);
// Read as the product reads without a model; the model only embeds the windows here.
const config = { ...loadConfig({ ...process.env, DENSE_RETRIEVAL: "off" }), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const { embedder, reason } = await loadEmbedderOrExplain(loadConfig(process.env).embedding, silentLogger);
if (!embedder) throw new Error(`no model: ${reason}`);
const norm = (s: string) => nfc(s).toLowerCase().replace(/\s+/g, " ").trim();
const deepest = Math.max(...ks);

for (const file of values.qa ?? []) {
  const items = (await readQaFile(file)).filter(
    (item, i) => item.gold_article_id !== null && i % Number(values.every) === 0 && inHalf(item, "calibration"),
  );
  let base = 0;
  const hits = new Map<string, number>();
  for (const item of items) {
    const { reading } = await service.askWithEvidence(item.question);
    const golds = (item.answers?.length ? item.answers : [item.answer ?? ""]).map(norm).filter(Boolean);
    const windows = reading.windows.slice(0, deepest);
    if (windows.length === 0) continue;
    const texts = windows.map((w) => w.article.body.slice(w.start, w.end));
    const holds = texts.map((t) => golds.some((g) => norm(t).includes(g)));
    if (holds[0]) base++;
    const question = await embedder.embedQuery(item.question);
    const cosines = (await embedder.embedPassages(texts)).map((v) => cosine(question, v));
    const best = windows[0]!.score;
    for (const k of ks) {
      const top = Math.max(...cosines.slice(0, k));
      for (const lambda of lambdas) {
        let chosen = 0;
        let chosenValue = -Infinity;
        for (let i = 0; i < Math.min(k, windows.length); i++) {
          const value = Math.log(Math.max(windows[i]!.score / best, 1e-9)) + lambda * (cosines[i]! - top);
          if (value > chosenValue) [chosen, chosenValue] = [i, value];
        }
        const key = `K=${k} λ=${lambda}`;
        if (holds[chosen]) hits.set(key, (hits.get(key) ?? 0) + 1);
      }
    }
  }
  const share = (n: number) => (n / items.length).toFixed(3);
  console.log(`${path.basename(file)} (${items.length} questions): reader's order ${share(base)}`);
  for (const k of ks) console.log(`  ${lambdas.map((lambda) => `K=${k} λ=${lambda} ${share(hits.get(`K=${k} λ=${lambda}`) ?? 0)}`).join("   ")}`);
}
