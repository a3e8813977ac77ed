import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ingest, logFailures, QaService } from "../app";
import type { Config } from "../config";
import { computeMetrics, type EvalMetrics } from "../eval/metrics";
import { evaluate, readQaFile, shuffled } from "../eval/run";
import { loadEmbedderOrExplain } from "../embed";
import type { Logger } from "../logger";
import { currentVersion } from "../store";
import { parseCommandLine } from "./args";

export const EVAL_USAGE =
  "usage: npm run eval -- --qa FILE [--qa FILE ...] --articles FILE [--articles FILE ...] [--index DIR] [--unaccented | --mixed] [--follow-ups] [--shuffle SEED] [--split NAME] [--limit N] [--json]";

/**
 * `npm run eval`: indexes the given articles (unless --index names a built index), asks every
 * question of the QA files and reports article-level retrieval and answer metrics.
 */
export async function runEvalCli(
  argv: string[],
  config: Config,
  logger: Logger,
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(EVAL_USAGE, err, () =>
    parseArgs({
      args: argv,
      options: {
        qa: { type: "string", multiple: true },
        articles: { type: "string", multiple: true },
        index: { type: "string" },
        unaccented: { type: "boolean", default: false },
        mixed: { type: "boolean", default: false },
        "follow-ups": { type: "boolean", default: false },
        shuffle: { type: "string" },
        limit: { type: "string" },
        split: { type: "string" },
        json: { type: "boolean", default: false },
      },
    }),
  );
  if (!parsed) return 2;
  const { values } = parsed;
  const seed = values.shuffle === undefined ? null : Number(values.shuffle);
  if (!values.qa?.length || (!values.articles?.length && !values.index) || (seed !== null && !Number.isInteger(seed))) {
    err.write(`${EVAL_USAGE}\n`);
    return 2;
  }
  const indexDir = path.resolve(values.index ?? (await fs.mkdtemp(path.join(os.tmpdir(), "qa-eval-"))));
  const evalConfig: Config = { ...config, indexDir };
  const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger);
  if (!(await currentVersion(indexDir)) || values.articles?.length) {
    const built = await ingest({ config: evalConfig, logger, embedder, denseOffReason: reason, paths: values.articles!.map((p) => path.resolve(p)) });
    logFailures(logger, built.failures);
    if (!values.json) out.write(`Indexed ${built.articles} articles (${built.passages} passages) in ${(built.totalMs / 1000).toFixed(1)} s.\n`);
  }
  const service = await QaService.open({ config: evalConfig, logger, embedder, denseOffReason: reason });

  const limit = values.limit ? Number(values.limit) : Infinity;
  const report: Record<string, EvalMetrics> = {};
  for (const file of values.qa) {
    // --split: the part of a set kept for calibration or aside (eval/off-corpus-hard.qa.jsonl's "split").
    const read = (await readQaFile(file)).filter((item) => !values.split || item.split === values.split).slice(0, limit);
    const items = seed === null ? read : shuffled(read, seed);
    const cases = await evaluate(service, items, { unaccented: values.unaccented, mixed: values.mixed, followUps: values["follow-ups"] });
    report[path.basename(file)] = computeMetrics(cases);
  }
  if (values.json) {
    const only = Object.values(report);
    out.write(`${JSON.stringify(only.length === 1 ? { ...only[0], dense: service.denseOn } : { sets: report, dense: service.denseOn })}\n`);
  } else {
    for (const [name, m] of Object.entries(report)) out.write(formatMetrics(name, m, service.denseOn));
  }
  if (!values.index) await fs.rm(indexDir, { recursive: true, force: true });
  return 0;
}

function formatMetrics(name: string, m: EvalMetrics, dense: boolean): string {
  const pct = (x: number) => x.toFixed(3);
  return (
    `${name} (${m.questions} questions, dense ${dense ? "on" : "off"})\n` +
    `  recall@1 ${pct(m.recallAt1)}  recall@5 ${pct(m.recallAt5)}  MRR@10 ${pct(m.mrrAt10)}\n` +
    `  answer containment ${pct(m.answerContainment)}  first quote ${pct(m.firstQuoteContainment)}  answer span ${m.answerSpanHit === null ? "–" : pct(m.answerSpanHit)}  quoted ${m.meanQuoteChars.toFixed(0)} chars\n` +
    `  not-found (answerable) ${pct(m.notFoundRate)}` +
    (m.offCorpusNotFoundRate === null ? "" : `  not-found (off-corpus) ${pct(m.offCorpusNotFoundRate)}`) +
    `\n  latency p50 ${m.latencyP50Ms.toFixed(1)} ms  p95 ${m.latencyP95Ms.toFixed(1)} ms\n` +
    Object.entries(m.byType ?? {})
      .sort(([, a], [, b]) => b.answerable - a.answerable)
      .map(
        ([type, t]) =>
          `    ${type.padEnd(7)} ${String(t.answerable).padStart(5)} q.  recall@1 ${pct(t.recallAt1)}  containment ${pct(t.answerContainment)}  first quote ${pct(t.firstQuoteContainment)}` +
          `  answer span ${t.answerSpanHit === null ? "–" : pct(t.answerSpanHit)}  not-found ${pct(t.notFoundRate)}\n`,
      )
      .join("")
  );
}
