import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/ingest";
import { REPO } from "./paths";

// Real third-party data, read in place (never copied into the project): see ../shared/data/README.md.
const DANTRI = join(REPO, "../shared/data/news/unc_dantri_articles.jsonl");
const present = existsSync(DANTRI);

describe("the Dân trí news corpus (../shared/data)", () => {
  it.skipIf(!present)(
    present ? "loads all 2,653 articles, each titled and NFC" : "skipped: ../shared/data/news/unc_dantri_articles.jsonl is absent",
    async () => {
      const { articles, failures, files } = await loadCorpus([DANTRI]);
      expect(failures).toEqual([]);
      expect(files).toBe(1);
      expect(articles).toHaveLength(2653);
      expect(new Set(articles.map((a) => a.id)).size).toBe(2653);
      const problems = articles.filter(
        (a) =>
          !a.title ||
          a.title.length > 200 ||
          !a.body ||
          a.body !== a.body.normalize("NFC") ||
          a.title !== a.title.normalize("NFC") ||
          a.captions.some((c) => c !== c.normalize("NFC")),
      );
      expect(problems.map((a) => a.id)).toEqual([]);
      // Records keep their own ids and dates; sources point at their line.
      expect(articles[0]).toMatchObject({ id: "news_business_001", source: "unc_dantri_articles.jsonl#1" });
      expect(articles.every((a) => a.publishedAt === null || /^\d{4}-\d{2}-\d{2}$/.test(a.publishedAt))).toBe(true);
      // Without a headline, titles come from the text: never longer than 90 characters.
      const derived = articles.filter((a) => !a.source.endsWith("#1") && a.title.endsWith("…"));
      expect(derived.length).toBeGreaterThan(1000);
      expect(derived.every((a) => a.title.length <= 90)).toBe(true);
    },
  );
});
