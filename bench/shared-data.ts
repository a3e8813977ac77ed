import fs from "node:fs";
import path from "node:path";
import { readQaFile, type QaItem } from "../src/eval/run";

/** The evaluation data beside the project (never copied into it). */
export const SHARED_DATA = path.resolve(import.meta.dirname, "../../shared/data");
export const NEWS = path.join(SHARED_DATA, "news/unc_dantri_articles.jsonl");
export const qaFile = (set: string) => path.join(SHARED_DATA, `qa/${set}.qa.jsonl`);
export const qaArticles = (set: string) => path.join(SHARED_DATA, `qa/${set}.articles.jsonl`);

export function requireSharedData(): void {
  if (!fs.existsSync(NEWS)) {
    process.stderr.write(`This benchmark needs ../shared/data beside the project (looked for ${NEWS}).\n`);
    process.exit(2);
  }
}

/**
 * Up to `count` questions of the QA sets named in `sets` ("vinewsqa-dev,xquad-vi"), taken evenly
 * over them (every n-th), so that a short run still samples every set and every article.
 */
export async function sampleQaItems(sets: string, count: number): Promise<QaItem[]> {
  const items = (await Promise.all(sets.split(",").map((set) => readQaFile(qaFile(set))))).flat();
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
