import fs from "node:fs";
import path from "node:path";

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

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
