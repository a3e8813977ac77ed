/**
 * Every answer of a QA set, in full, one JSON line per question: the Answer object (quotes,
 * offsets, answer spans, citations, "not found"), the retrieval's hits and scores, and the
 * reader's windows. What a change that must not change behaviour (a speed-up) is checked with:
 * dump with the code before and after, and diff.
 *
 *   npx tsx eval/dump-answers.ts --index DIR --qa FILE [--qa FILE ...] [--unaccented | --mixed] [--follow-ups] [--limit N] > answers.jsonl
 *
 * Numbers are written as JSON writes doubles (the shortest text that reads back the same), so
 * equal lines mean equal scores to the last bit. The reader's windows are written in full for the
 * first `WINDOWS_SHOWN` and as a hash of all of them.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { citedArticles } from "../src/answer";
import { QaService } from "../src/app";
import { loadConfig } from "../src/config";
import { readQaFile, stripDiacritics, stripEveryOtherWord } from "../src/eval/run";
import { createLogger } from "../src/logger";
import type { Window } from "../src/read";

const WINDOWS_SHOWN = 30;

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    qa: { type: "string", multiple: true },
    unaccented: { type: "boolean", default: false },
    mixed: { type: "boolean", default: false },
    "follow-ups": { type: "boolean", default: false },
    limit: { type: "string" },
  },
});
if (!values.index || !values.qa?.length) {
  process.stderr.write("usage: npx tsx eval/dump-answers.ts --index DIR --qa FILE [--qa FILE ...] [--unaccented | --mixed] [--follow-ups] [--limit N]\n");
  process.exit(2);
}
const config = loadConfig(process.env);
const service = await QaService.open({
  config: { ...config, indexDir: path.resolve(values.index) },
  logger: createLogger("error"),
  embedder: null,
  denseOffReason: "lexical only",
  warnDenseOff: false,
});
const variant = values.unaccented ? "unaccented" : values.mixed ? "mixed" : "plain";
const windowOf = (w: Window) => ({
  articleId: w.article.id,
  articleRank: w.articleRank,
  start: w.start,
  end: w.end,
  score: w.score,
  evidence: w.evidence,
  constraints: w.constraints,
  support: w.support,
  dense: w.dense,
  answer: w.answer,
  matches: w.matches,
});
for (const file of values.qa) {
  const items = (await readQaFile(file)).slice(0, values.limit ? Number(values.limit) : undefined);
  let previous: string[] = [];
  for (const item of items) {
    const question = values.unaccented ? stripDiacritics(item.question) : values.mixed ? stripEveryOtherWord(item.question) : item.question;
    const { answer, retrieval, reading } = await service.askWithEvidence(question, values["follow-ups"] ? { followUp: previous } : {});
    previous = citedArticles(answer);
    const windows = reading.windows.map(windowOf);
    const line = {
      set: path.basename(file),
      variant: values["follow-ups"] ? `${variant}+follow-ups` : variant,
      id: item.id,
      question,
      answer,
      retrieval: {
        coverage: retrieval.coverage,
        notFound: retrieval.notFound,
        bestDense: retrieval.bestDense,
        hits: retrieval.hits.map((h) => ({ chunk: h.chunk.id, score: h.score, lexical: h.lexical, dense: h.dense, matchedTerms: h.matchedTerms })),
      },
      reading: {
        type: reading.type,
        noun: reading.noun,
        answerable: reading.answerable,
        windowCount: windows.length,
        windowsHash: createHash("sha256").update(JSON.stringify(windows)).digest("hex"),
        windows: windows.slice(0, WINDOWS_SHOWN),
      },
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
